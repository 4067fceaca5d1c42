"""Every way a person's data leaves ownpath, as every role: sensitive groups only to their readers.

The exits are discovered, not listed: every GET URL of the project that takes a person id (every page,
every tab of the person page, every download), every GET operation of the published API that takes one,
and every URL whose route looks like a download (``.json``, ``.csv``, ``.xlsx``, ``.pdf``, ``export``).
A download that does not take a person id must be named in ``NOT_PERSONAL`` with the reason it cannot
carry a person's sensitive groups: a new exporter fails this test until someone has looked at it.
"""

from __future__ import annotations

import datetime
import functools
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ownpath.core.choices import AuditAction, Role, SensitiveGroup
from ownpath.core.models import AuditEvent, Need, PersonNote
from ownpath.core.registry import registry
from tests.conftest import World, signed_in
from tests.factories import staff

# Who may read which group, as the product promises (docs/sensitivity.md), written out independently of
# the code that enforces it.
READERS = {
    SensitiveGroup.GENERAL: {
        Role.ORG_ADMIN,
        Role.COUNSELLOR,
        Role.PSYCHOLOGIST,
        Role.LEGAL_ADVISER,
        Role.CULTURAL_MEDIATOR,
        Role.HELPLINE_OPERATOR,
        Role.MENTORING_COORDINATOR,
    },
    SensitiveGroup.HEALTH: {Role.COUNSELLOR, Role.PSYCHOLOGIST},
    SensitiveGroup.PSYCHOLOGICAL: {Role.PSYCHOLOGIST},
    SensitiveGroup.LEGAL: {Role.LEGAL_ADVISER},
}
ROLES = [role.value for role in Role] + ["ngo_counsellor"]

# Downloads without a person id, and why none of them can carry a person's sensitive groups.
NOT_PERSONAL = {
    "monitoring": "indicators and checklists: counts with small cells suppressed, no records",
    "surveys": "survey forms and responses: survey answers, no notes, needs or assessments",
    "helpline": "helpline statistics: counts by language, channel and topic",
    "directory": "the services directory (HSDS): organisations and services, no people",
    "hsds": "the services directory's HSDS API description",
    "portal": "service leaflets for the public",
    "training": "certificates and course lists: enrolments, no notes",
    "booking": "appointment invitations (iCalendar) and CV files the person left themself",
    "matching": "CVs built from skills and work history (general group only)",
    "navigator": "work-permit rules and assessments, no records of people",
    "employers": "job postings (schema.org)",
    "mentoring": "mentoring contracts and pairs: no notes, needs or assessments",
    "core": "the person's own copy (me/export.json): the data subject's separate path, tested below",
}
DOWNLOAD = re.compile(r"(\.json|\.csv|\.xlsx|\.pdf|\.ics|export|download|leaflet|certificate)", re.I)


def canary(group: str, where: str) -> str:
    return f"CANARY-{group}-{where}-7f3a"


@pytest.fixture
def seeded(world: World) -> World:
    """The person with something of every group in every place that holds groups, written by an author
    who is none of the users tried (an author always reads their own text)."""
    from ownpath.modules.counselling.models import Assessment, LegalRequest, Session, SessionNote

    author = staff(Role.PSYCHOLOGIST, world.centre)
    person = world.person
    for group in SensitiveGroup.values:
        note = PersonNote.objects.create(
            person=person, author=author, organisation=world.centre, group=group, body=canary(group, "note")
        )
        session = Session.objects.create(
            person=person,
            organisation=world.centre,
            held_by=author,
            kind="vocational",
            mode="in_person",
            starts_at=timezone.now(),
        )
        SessionNote.objects.create(session=session, note=note)
    Need.objects.create(person=person, kind="health", details=canary(SensitiveGroup.HEALTH, "need"))
    Assessment.objects.create(
        person=person, organisation=world.centre, assessed_by=author, health_notes=canary("health", "assessment")
    )
    LegalRequest.objects.create(
        person=person, organisation=world.centre, requested_by=author, question=canary("legal", "question")
    )
    return world


def _routes() -> list[tuple[str, str, list[str]]]:
    """(namespaced name, route, converters) of every URL pattern of the project."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((namespace + pattern.name, route, re.findall(r"<(?:\w+:)?(\w+)>", route)))

    walk(get_resolver().url_patterns, "", "")
    return found


def person_urls(person_id: int) -> list[str]:
    """Every page and download that takes only a person id, and every tab of the person page."""
    urls = []
    for name, route, args in _routes():
        if args == ["person_id"] and not route.startswith("api/"):
            urls.append(reverse(name, kwargs={"person_id": person_id}))
    page = reverse("core:person", args=[person_id])
    urls += [f"{page}?tab={tab.key}" for tab in registry.person_tabs]
    return urls


@functools.cache
def _api_person_paths() -> tuple[str, ...]:
    from ownpath.api import api

    schema = api.get_openapi_schema()
    return tuple(
        "/api/v1" + path
        for path, operations in schema["paths"].items()
        if "get" in operations and re.findall(r"{(\w+)}", path) == ["person_id"]
    )


def api_person_urls(person_id: int) -> list[str]:
    """Every GET operation of the published API that takes only a person id."""
    return [path.replace("{person_id}", str(person_id)) for path in _api_person_paths()]


def test_every_download_is_either_per_person_or_known_to_hold_no_groups() -> None:
    unknown = []
    for name, route, args in _routes():
        if route.startswith("api/") or not DOWNLOAD.search(route):
            continue
        if args == ["person_id"]:
            continue  # tried below, as every role
        module = name.split(":")[0] if ":" in name else "core"
        if module not in NOT_PERSONAL:
            unknown.append(f"{name} ({route})")
    assert not unknown, "exporters nobody has checked for sensitive groups: " + ", ".join(unknown)
    assert len(person_urls(1)) >= 10 and len(api_person_urls(1)) >= 5


@pytest.mark.parametrize("role", ROLES)
def test_no_exit_shows_a_role_a_group_it_may_not_read(seeded: World, role: str) -> None:
    client = signed_in(seeded.users[role])
    pid = seeded.person.pk
    forbidden = {
        group: [c for c in (canary(group, w) for w in ("note", "need", "assessment", "question"))]
        for group in SensitiveGroup.values
        if role not in READERS[group] or role == "ngo_counsellor"
    }
    allowed_seen: set[str] = set()
    leaks = []
    for url in [*person_urls(pid), *api_person_urls(pid)]:
        response = client.get(url)
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for group, texts in forbidden.items():
            leaks += [f"{url} shows {role} a {group} text" for t in texts if t in text]
        allowed_seen |= {g for g in SensitiveGroup.values if canary(g, "note") in text}
    assert not leaks, "\n".join(leaks)
    # The filter does not hide everything: each role reads, somewhere, the notes of its own groups.
    if role in READERS[SensitiveGroup.GENERAL]:
        assert allowed_seen == {g for g in SensitiveGroup.values if role in READERS[g]}, (role, allowed_seen)


def test_the_administrators_export_leaves_out_what_their_role_may_not_read(seeded: World) -> None:
    admin = signed_in(seeded.users[Role.ORG_ADMIN])
    pid = seeded.person.pk
    for url in (f"/people/{pid}/export.json", f"/api/v1/people/{pid}/export"):
        response = admin.get(url)
        assert response.status_code == 200, url
        data = json.loads(response.content)
        assert set(data["withheld_groups"]) == {"health", "psychological", "legal"}
        assert [n["text"] for n in data["person"]["notes"]] == [canary("general", "note")]
        assert data["person"]["needs"] == []
        assessment = data["modules"]["counselling"]["assessments"][0]
        assert assessment["health_notes"] is None and assessment["disability"] is None
        assert data["modules"]["counselling"]["legal_requests"] == []
    page = admin.get(f"/people/{pid}/export/").content.decode()
    assert "CANARY-general-note" in page and "CANARY-psychological" not in page


def test_the_persons_own_copy_is_a_separate_audited_path(seeded: World) -> None:
    from ownpath.core.models import User

    person = seeded.person
    pid = person.pk
    admin = signed_in(seeded.users[Role.ORG_ADMIN])
    # Without saying how the person asked, nothing is produced.
    refused = admin.post(f"/people/{pid}/export/subject/", {"request": "  "})
    assert refused.status_code == 400 and b"CANARY" not in refused.content
    assert not AuditEvent.objects.filter(purpose="gdpr_access_subject").exists()
    # At the person's request: everything, and the request is in the audit trail.
    copy = admin.post(f"/people/{pid}/export/subject/", {"request": "Asked in person, 3 Dec, form 12"})
    assert copy.status_code == 200 and copy["Content-Disposition"].startswith("attachment")
    text = copy.content.decode()
    assert all(canary(g, "note") in text for g in SensitiveGroup.values)
    assert canary("legal", "question") in text and canary("health", "assessment") in text
    event = AuditEvent.objects.get(purpose="gdpr_access_subject")
    assert event.action == AuditAction.EXPORT and event.detail == {
        "by": "on_request",
        "request": "Asked in person, 3 Dec, form 12",
    }
    # Only an administrator of the holder may make it for the person.
    for role in (Role.COUNSELLOR, Role.PSYCHOLOGIST):
        response = signed_in(seeded.users[role]).post(f"/people/{pid}/export/subject/", {"request": "asked"})
        assert response.status_code == 403 and b"CANARY" not in response.content
    # The person with their own account downloads their copy themself.
    own = User.objects.create_user("olek", email="olek@example.org", password="x" * 20)
    person.account = own
    person.save(update_fields=["account"])
    client = Client()
    client.force_login(own, backend="django.contrib.auth.backends.ModelBackend")
    mine = client.get("/me/export.json")
    assert mine.status_code == 200 and canary("psychological", "note") in mine.content.decode()
    assert AuditEvent.objects.filter(purpose="gdpr_access_subject", actor_id=own.pk, detail__by="subject").exists()
    # Another person's account gets nothing.
    stranger = User.objects.create_user("someone", email="someone@example.org", password="x" * 20)
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/me/export.json").status_code == 404


def test_every_contributors_values_become_json(world: World) -> None:
    """Dates, times, decimals, UUIDs, lazy texts, countries... from any module: the export never fails."""
    import decimal
    import uuid

    from django.utils.translation import gettext_lazy

    from ownpath.core.sensitivity import Lens, Sensitive, disclose

    lens = Lens(groups=frozenset({"general"}))
    value = {
        "when": datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 12, 3),
        "at": datetime.time(9, 30),
        "wage": decimal.Decimal("31.50"),
        "id": uuid.UUID(int=7),
        "label": gettext_lazy("Health"),
        "tags": {"b", "a"},
        "pair": (1, 2.5),
        "nan": float("nan"),
        "other": object,
        1: Sensitive("health", "hidden"),
        "notes": [Sensitive("general", "shown"), Sensitive("legal", "hidden")],
        "queryset": AuditEvent.objects.none(),
    }
    out = disclose(value, lens)
    text = json.dumps(out)
    assert "hidden" not in text and out["notes"] == ["shown"] and out["1"] is None
    assert out["when"].startswith("2026-12-03T15:00") and out["wage"] == "31.50" and out["tags"] == ["a", "b"]
    assert out["nan"] is None and out["queryset"] == []


def test_the_json_export_answers_for_people_with_data_in_every_module(seeded: World) -> None:
    """Matching and employers gave dates the JSON encoder did not know (a 500): every provider, through core."""
    from ownpath.modules.employers.models import Hire

    Hire.objects.create(
        person=seeded.person,
        employer=seeded.employer,
        recorded_by_organisation=seeded.centre,
        starts_on=datetime.date(2026, 11, 2),
        contract_type="employment",
        source="proposal",
    )
    admin = signed_in(seeded.users[Role.ORG_ADMIN])
    response = admin.get(f"/people/{seeded.person.pk}/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert set(data["modules"]) == {p.key for p in registry.personal_data_providers}
    assert data["modules"]["employers"]["hires"][0]["starts_on"] == "2026-11-02"


def test_tables_and_notifications_read_groups_through_the_lens(seeded: World) -> None:
    from django.utils.translation import gettext_lazy

    from ownpath.core.models import Notification
    from ownpath.core.sensitivity import Sensitive, lens_for
    from ownpath.core.services.notifications import notify_each
    from ownpath.core.tabular import csv_response

    person = seeded.person
    secret = Sensitive(SensitiveGroup.PSYCHOLOGICAL, "CANARY-psy-cell")
    psychologist, admin = seeded.users[Role.PSYCHOLOGIST], seeded.users[Role.ORG_ADMIN]
    as_admin = csv_response("x.csv", ["a"], [[secret]], lens=lens_for(admin, person)).content.decode()
    as_psychologist = csv_response("x.csv", ["a"], [[secret]], lens=lens_for(psychologist, person)).content
    assert "CANARY" not in as_admin and b"CANARY-psy-cell" in as_psychologist
    assert "CANARY" not in csv_response("x.csv", ["a"], [[secret]]).content.decode()  # no lens: nothing
    assert "CANARY" not in str(secret) + repr(secret) + f"{secret}"
    notify_each([psychologist, admin], gettext_lazy("Note: %(text)s"), person=person, text=secret)
    texts = dict(Notification.objects.values_list("user_id", "title"))
    assert "CANARY-psy-cell" in texts[psychologist.pk] and "CANARY" not in texts[admin.pk]
