"""Every edit form and every PATCH checks the version (docs/concurrency.md), so that a stale save is
refused, the other person's changes shown, and nothing written; and bad input never reaches a person as
a 500, whichever view or endpoint it goes through.

The route table below is the enumeration: every page route that names a record is either an edit form
(its view must check the version) or says why it is not one. A new route fails here until classified."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ownpath.api import api
from ownpath.core.api_contract import operations, requires_if_match
from ownpath.core.choices import Role
from ownpath.core.models import Organisation, Person
from tests.conftest import World, signed_in

READ = "reads or downloads; changes nothing"
ADD = "adds a new record from a blank form: nothing stored is overwritten"
ACTION = "a decision or state change: its service checks the record's current state (a second one is refused)"
PUBLIC = "a person's own link or questionnaire: one holder, no shared record is edited"
SHOWN = "shows an edit form whose save goes to a versioned route"

# Edit forms: pre-filled with what is stored and saved back. Each must check the version.
EDITS = {
    "core:person_edit", "core:organisation_edit", "booking:service_edit", "counselling:step_edit",
    "counselling:step_checklist", "counselling:referral_answer", "counselling:recognition_edit",
    "directory:service_edit", "directory:facts_save", "directory:translation_save", "employers:employer",
    "employers:vacancy_edit", "helpline:contact_edit", "helpline:contact_crisis", "helpline:article_edit",
    "matching:profile_action", "mentoring:mentor", "mentoring:mentee", "mentoring:pair",
    "monitoring:checklist_entry", "surveys:question", "training:course", "training:attendance",
    "training:curriculum_text",
}  # fmt: skip

NOT_EDITS = {
    "core:person": SHOWN, "core:note_add": ADD, "core:consent_add": ADD, "core:background_add": ADD,
    "core:person_export": READ, "core:person_export_json": READ, "core:person_subject_export": READ,
    "core:person_erase": ACTION, "core:consent_withdraw": ACTION, "core:organisation": READ,
    "core:member_add": ADD, "core:membership_end": ACTION, "core:own_consent_withdraw": ACTION,
    "core:person_message": ADD, "core:calendar_feed": READ, "core:api_token_revoke": ACTION,
    "booking:slots": PUBLIC, "booking:confirm": PUBLIC, "booking:waiting": PUBLIC, "booking:manage": PUBLIC,
    "booking:ics": READ, "booking:cancel": PUBLIC, "booking:reschedule": PUBLIC, "booking:offer": PUBLIC,
    "booking:appointment_action": ACTION, "booking:cv": ACTION, "booking:cv_file": READ,
    "booking:received_item": ACTION, "counselling:handover": ACTION, "counselling:intake_add": ADD,
    "counselling:assessment_add": ADD, "counselling:goal_add": ADD, "counselling:step_add": ADD,
    "counselling:session_add": ADD, "counselling:referral_send": ADD, "counselling:recognition_add": ADD,
    "counselling:legal_add": ADD, "counselling:outcome_add": ADD, "counselling:suggestion_decide": ACTION,
    "counselling:session_note_add": ADD, "counselling:legal_request": ACTION,
    "counselling:follow_up_record": ACTION, "directory:import_job": READ, "directory:machine_translate": ACTION,
    "directory:closure_add": ADD, "employers:vacancy_new": ADD, "employers:agreement_action": ACTION,
    "employers:vacancy": READ, "employers:job": READ, "employers:event": ACTION, "employers:event_public": PUBLIC,
    "employers:article": READ, "employers:hire_new": ADD, "employers:hire": ADD, "helpline:contact": SHOWN,
    "helpline:contact_handover": ADD, "helpline:contact_callback": ADD, "helpline:contact_interpreter": ACTION,
    "helpline:contact_join": ACTION, "helpline:interpret": ACTION, "helpline:article": SHOWN,
    "helpline:article_translate": ADD, "helpline:chat_pick": ACTION, "helpline:chat_operator": ACTION,
    "helpline:chat_operator_poll": READ, "helpline:chat_room": PUBLIC, "helpline:chat_room_poll": PUBLIC,
    "matching:person_jobs": READ, "matching:resume_export": READ, "matching:cv_pdf": READ,
    "matching:vacancy": READ, "matching:proposal": ACTION, "mentoring:run": ACTION, "mentoring:contract": PUBLIC,
    "monitoring:indicator": READ, "monitoring:evidence": READ, "navigator:mark_reviewed": ADD,
    "navigator:case": PUBLIC, "navigator:start": PUBLIC, "navigator:question": PUBLIC, "navigator:result": PUBLIC,
    "portal:service": READ, "portal:feedback": ADD, "portal:leaflet_toggle": PUBLIC, "portal:claim_decide": ACTION,
    "surveys:survey": ACTION, "surveys:xlsform": READ, "surveys:results": READ, "surveys:results_csv": READ,
    "surveys:results_xlsx": READ, "surveys:mirror": READ, "surveys:invite": ADD, "surveys:start": PUBLIC,
    "surveys:answer": PUBLIC, "training:enrolment": ACTION, "training:certificate_pdf": READ,
    "training:export_badge": READ, "training:curriculum": ACTION, "training:material_file": READ,
    "training:verified": READ, "training:badge_assertion": READ, "training:badge_class": READ,
    "training:badge_criteria": PUBLIC,
    "training:badge_image": READ, "training:badge_issuer": READ,
}  # fmt: skip

# The names a view (or a helper or closure of its module) uses when it checks the version.
CHECKS = {"form_unchanged", "unchanged_since", "expected_version", "check_version"}


def _routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}".strip(":"), pattern.callback


def _record_routes() -> dict[str, tuple[str, Any]]:
    """Page routes that name a record (a path parameter); the admin, sign-in and API have their own rules."""
    return {
        name: (route, view)
        for route, name, view in _routes()
        if "<" in route and not route.startswith(("admin/", "accounts/", "api/", "hsds/"))
    }


def _names(code: types.CodeType, module: dict[str, Any], depth: int = 2) -> set[str]:
    """Names and keyword names ``code`` uses, with those of the closures it makes and of the module's
    own functions it calls or dispatches to (two levels)."""
    found = set(code.co_names) | set(code.co_varnames)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _names(const, module, depth)
        elif isinstance(const, tuple):
            found |= {c for c in const if isinstance(c, str)}
    if depth:
        for name in list(found):
            helper = module.get(name)
            # a dispatch table (one handler per posted action) counts as calling each of its handlers
            helpers = list(helper.values()) if isinstance(helper, dict) else [helper]
            for one in helpers:
                if isinstance(one, types.FunctionType) and one.__module__ == module.get("__name__"):
                    found |= _names(one.__code__, module, depth - 1)
    return found


def test_every_route_naming_a_record_is_classified() -> None:
    routes = _record_routes()
    unclassified = sorted(set(routes) - EDITS - set(NOT_EDITS))
    assert not unclassified, f"say whether these are edit forms (EDITS) or why not (NOT_EDITS): {unclassified}"
    assert not (EDITS & set(NOT_EDITS))
    gone = sorted((EDITS | set(NOT_EDITS)) - set(routes))
    assert not gone, f"classified routes that no longer exist: {gone}"


def test_every_edit_route_checks_the_version() -> None:
    missing = []
    for name in sorted(EDITS):
        _route, view = _record_routes()[name]
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        if not _names(view.__code__, view.__globals__) & CHECKS:
            missing.append(name)
    assert not missing, f"edit forms saved without a version check (core.concurrency): {missing}"


def test_every_patch_and_put_requires_if_match_and_the_schema_says_so() -> None:
    schema = api.get_openapi_schema()
    changes = [(path, op) for path, op in operations(api) if {"PATCH", "PUT"} & set(op.methods)]
    assert len(changes) >= 4  # people, steps, recognitions, helpline contacts
    for path, operation in changes:
        assert requires_if_match(operation), f"{path} changes a record without If-Match (core.api)"
        spec = schema["paths"][path]["patch" if "PATCH" in operation.methods else "put"]
        assert {"412", "428"} <= {str(s) for s in spec["responses"]}, path
        assert any(p["name"] == "If-Match" and p["required"] for p in spec["parameters"]), path


# --- Stale saves, page by page ----------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page, with the values a browser would send (no submit buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"_action": a.get("action", ""), "_id": a.get("id", ""), "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                fields[name] = [a.get("value", "")]
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea][0] += data


def form_on(html: str, *, action: str = "", form_id: str = "") -> dict[str, Any]:
    """The values of the form with ``form_id``, or posting to ``action``, or else the first with a version."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        versioned = any(k == "version" or k.endswith("-version") for k in form["fields"])
        if (
            (form_id and form["_id"] == form_id)
            or (action and form["_action"] == action)
            or (not form_id and not action and versioned)
        ):
            data = {k: v if len(v) != 1 else v[0] for k, v in form["fields"].items()}
            data.pop("csrfmiddlewaretoken", None)
            return data
    raise AssertionError(f"no form {action or form_id or 'with a version'} on the page")


def stale_save_is_refused(
    first: Any,
    second: Any,
    page: str,
    post: str,
    *,
    change: Callable[[dict[str, Any], str], dict[str, Any]],
    stored: Callable[[], Any],
    form_id: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Two editors open ``page``; the second saves; the first's save, from the old page, is refused with
    the second's value shown and nothing written; a post without a version is refused too."""
    extra = extra or {}
    where = {"form_id": form_id} if form_id else {"action": post if post != page else ""}
    seen_first = form_on(first.get(page).content.decode(), **where)
    seen_second = form_on(second.get(page).content.decode(), **where)
    version_key = next(k for k in seen_first if k == "version" or k.endswith("-version"))
    assert seen_first[version_key] == seen_second[version_key]
    saved = second.post(post, {**change(seen_second, "Second"), **extra})
    assert saved.status_code in (200, 302), saved.content[:2000]
    assert "Second" in str(stored()), "the fresh save was not written"
    refused = first.post(post, {**change(seen_first, "First"), **extra}, follow=True)
    text = refused.content.decode()
    assert "Someone else saved this record" in text and "Second" in text, text[:3000]
    assert "First" not in str(stored())
    without = {k: v for k, v in change(seen_second, "Third").items() if k != version_key}
    second.post(post, {**without, **extra}, follow=True)
    assert "Third" not in str(stored())


def _set(key: str) -> Callable[[dict[str, Any], str], dict[str, Any]]:
    return lambda data, value: {**data, key: f"{value} value"}


def test_organisation_form(world: World) -> None:
    admin = world.users[Role.NETWORK_ADMIN]
    url = reverse("core:organisation_edit", args=[world.ngo.pk])
    stale_save_is_refused(
        signed_in(admin), signed_in(admin), url, url,
        change=_set("city"), stored=lambda: Organisation.objects.get(pk=world.ngo.pk).city,
    )  # fmt: skip


def test_helpline_contact_form_and_patch(world: World) -> None:
    from ownpath.modules.helpline import services
    from ownpath.modules.helpline.models import Contact
    from tests.helpline_helpers import make_line

    line = make_line(world)
    contact = services.save_contact(
        line.operator, line.org, {"channel": "phone", "language": "uk", "started_at": timezone.now()}
    )
    page = reverse("helpline:contact", args=[contact.pk])
    post = reverse("helpline:contact_edit", args=[contact.pk])
    stale_save_is_refused(
        signed_in(line.operator), signed_in(line.supervisor), page, post,
        change=_set("information"), stored=lambda: Contact.objects.get(pk=contact.pk).information,
    )  # fmt: skip
    api = signed_in(line.operator)
    url = f"/api/v1/helpline/contacts/{contact.pk}"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"notes": "Second note"}, content_type="application/json").status_code == 428
    ok = api.patch(url, {"notes": "Second note"}, content_type="application/json", headers={"If-Match": etag})
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = api.patch(url, {"notes": "First note"}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "stale"
    assert Contact.objects.get(pk=contact.pk).notes == "Second note"
    again = api.patch(url, {"notes": "Third note"}, content_type="application/json", headers={"If-Match": ok["ETag"]})
    assert again.status_code == 200 and Contact.objects.get(pk=contact.pk).notes == "Third note"


def test_recognition_form_and_patch(world: World) -> None:
    from ownpath.modules.counselling import services
    from ownpath.modules.counselling.models import Recognition

    counsellor = world.users[Role.COUNSELLOR]
    recognition = services.add_recognition(
        counsellor, world.person, {"diploma": "Nursing", "country": "UA", "route": "professional"}, channel="ui"
    )
    url = reverse("counselling:recognition_edit", args=[recognition.pk])
    stale_save_is_refused(
        signed_in(counsellor), signed_in(world.users[Role.ORG_ADMIN]), url, url,
        change=_set("institution"), stored=lambda: Recognition.objects.get(pk=recognition.pk).institution,
    )  # fmt: skip
    api = signed_in(counsellor)
    listed = api.get(f"/api/v1/counselling/people/{world.person.pk}/recognitions").json()
    etag = listed[0]["etag"]
    path = f"/api/v1/counselling/recognitions/{recognition.pk}"
    assert api.patch(path, {"decision": "x"}, content_type="application/json").status_code == 428
    ok = api.patch(path, {"institution": "Ministry"}, content_type="application/json", headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["etag"] == ok["ETag"].strip('"')
    stale = api.patch(path, {"institution": "Other"}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412 and Recognition.objects.get(pk=recognition.pk).institution == "Ministry"


def test_mentor_profile_form(world: World) -> None:
    from ownpath.modules.mentoring.models import Mentor
    from tests.test_mentoring import _mentor

    coordinator = world.users["mentoring_coordinator"]
    mentor = _mentor(world, coordinator, "Olena Bondar")
    url = reverse("mentoring:mentor", args=[mentor.pk])
    stale_save_is_refused(
        signed_in(coordinator), signed_in(coordinator), url, url, form_id="profile-form",
        change=lambda data, value: {**data, "profile-profession": f"{value} value", "action": "profile"},
        stored=lambda: Mentor.objects.get(pk=mentor.pk).profession,
    )  # fmt: skip


# --- Bad input: a message, never a 500 ---------------------------------------------------------------------

HOSTILE = {
    "year 3000": "3000-01-01",
    "NUL": "Gda\x00nsk",
    "overlong": "x" * 100_000,
    "emoji": "Gdańsk 🏳️‍🌈👩🏽‍⚕️",
    "RTL override": "\u202egnp.exe",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_values_through_pages_and_the_api_are_refused_or_stored_never_a_500(world: World, kind: str) -> None:
    value = HOSTILE[kind]
    counsellor = signed_in(world.users[Role.COUNSELLOR])
    person_url = reverse("core:person_edit", args=[world.person.pk])
    form = form_on(counsellor.get(person_url).content.decode())
    before = Person.objects.get(pk=world.person.pk)
    for field in ("city", "birth_date", "residence_expires"):
        response = counsellor.post(person_url, {**form, field: value}, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code in (302, 400), (field, response.status_code)
    api_url = f"/api/v1/people/{world.person.pk}"
    for field in ("city", "birth_date", "given_name"):
        response = counsellor.patch(api_url, {field: value}, content_type="application/json", headers={"If-Match": "*"})
        assert response.status_code in (200, 422), (field, response.status_code)
        if response.status_code == 422:
            assert response.json()["error"]["code"] == "invalid"
    after = Person.objects.get(pk=world.person.pk)
    assert after.birth_date == before.birth_date  # no implausible date is ever stored
    step = counsellor.post(
        f"/api/v1/counselling/people/{world.person.pk}/steps",
        {"kind": "language_course", "title": value, "planned_start": "3000-01-01", "planned_end": "2999-01-01"},
        content_type="application/json",
    )
    assert step.status_code == 422
    goal = counsellor.post(
        reverse("counselling:goal_add", args=[world.person.pk]), {"goal-text": value, "goal-target_date": value}
    )
    assert goal.status_code in (302, 400)


def test_a_model_guard_refusal_in_a_view_that_does_not_catch_it_is_a_page_not_a_500(world: World) -> None:
    """The class-level fix: a ValidationError (the pre_save guard, a service rule) that a view lets through
    answers 400 with the refusal in the reader's language (core.middleware.RefusedInputMiddleware)."""
    from django.core.exceptions import ValidationError
    from django.test import RequestFactory
    from django.utils import translation

    from ownpath.core.middleware import RefusedInputMiddleware
    from ownpath.core.validators import check_instance

    person = Person.objects.get(pk=world.person.pk)
    person.birth_date = (timezone.localdate() + timedelta(days=400 * 365)).replace(day=1)
    request = RequestFactory().post("/people/1/edit/")
    request.user = world.users[Role.COUNSELLOR]
    middleware = RefusedInputMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        check_instance(person)
    with translation.override("pl"):
        response = middleware.process_exception(request, refused.value)
    assert response is not None and response.status_code == 400
    assert "1900" in response.content.decode() and "Nothing was saved" not in response.content.decode()
    api_request = RequestFactory().post("/api/v1/people/")
    assert middleware.process_exception(api_request, refused.value) is None  # the API answers 422 itself
    assert middleware.process_exception(request, RuntimeError("boom")) is None  # a real bug stays a 500
