"""Optimistic concurrency: two people edit the same record; the second, stale save is refused with the
first one's changes shown, and nothing of it is written (forms: the hidden version; API: ETag/If-Match)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ownpath.core.choices import Role
from ownpath.core.concurrency import StaleEdit
from ownpath.core.models import Person
from ownpath.core.services import consent as consent_service
from tests.conftest import World, signed_in
from tests.test_employers_matching import esco, esco_sample  # noqa: F401 - the ESCO sample, loaded once

UI = "ui"


def version_in(html: str) -> str:
    found = re.search(r'name="(?:[\w-]+-)?version" value="([0-9a-f]+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


PERSON_FORM = {
    "given_name_native": "Олександр",
    "family_name_native": "Шевченко",
    "residence_status": "temporary_protection",
    "lang-TOTAL_FORMS": "0",
    "lang-INITIAL_FORMS": "0",
    "lang-MIN_NUM_FORMS": "0",
    "lang-MAX_NUM_FORMS": "10",
}


def test_a_stale_person_form_is_refused_with_the_other_persons_changes(world: World) -> None:
    url = reverse("core:person_edit", args=[world.person.pk])
    first, second = signed_in(world.users[Role.COUNSELLOR]), signed_in(world.users[Role.PSYCHOLOGIST])
    seen_by_first = version_in(first.get(url).content.decode())
    seen_by_second = version_in(second.get(url).content.decode())
    assert seen_by_first == seen_by_second
    saved = second.post(url, {**PERSON_FORM, "city": "Gdańsk", "version": seen_by_second})
    assert saved.status_code == 302
    stale = first.post(url, {**PERSON_FORM, "city": "Gdynia", "phone": "+48 500 100 200", "version": seen_by_first})
    html = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else saved this record" in html and "Gdańsk" in html and "Gdynia" in html
    assert world.users[Role.PSYCHOLOGIST].email in html  # who saved last
    person = Person.objects.get(pk=world.person.pk)
    assert person.city == "Gdańsk" and person.phone == ""  # nothing of the stale save
    # The refused form now carries the version it was refused against: saving again is deliberate.
    again = first.post(url, {**PERSON_FORM, "city": "Gdynia", "version": version_in(html)})
    assert again.status_code == 302 and Person.objects.get(pk=world.person.pk).city == "Gdynia"
    # A form without any version (a crafted post, a page from before) is refused too.
    assert first.post(url, {**PERSON_FORM, "city": "Sopot"}).status_code == 400
    assert Person.objects.get(pk=world.person.pk).city == "Gdynia"


def test_the_refusal_is_in_the_editors_language(world: World) -> None:
    from ownpath.core.services import people as people_service

    version = people_service.person_version(world.person)
    people_service.update_person(world.users[Role.PSYCHOLOGIST], world.person, {"city": "Gdańsk"})
    with translation.override("pl"), pytest.raises(StaleEdit) as refused:
        people_service.update_person(
            world.users[Role.COUNSELLOR], world.person, {"city": "Gdynia"}, expected_version=version
        )
    assert "Someone else" not in refused.value.messages[0] and "Gdańsk" in refused.value.messages[0]


def test_a_stale_person_patch_is_refused_with_412(world: World) -> None:
    url = f"/api/v1/people/{world.person.pk}"
    first, second = signed_in(world.users[Role.COUNSELLOR]), signed_in(world.users[Role.PSYCHOLOGIST])
    etag = first.get(url)["ETag"]
    assert etag == second.get(url)["ETag"]
    ok = second.patch(url, {"city": "Gdańsk"}, content_type="application/json", headers={"If-Match": etag})
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = first.patch(url, {"city": "Gdynia"}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412 and stale["ETag"] == ok["ETag"]
    error = stale.json()["error"]
    assert error["code"] == "stale" and {"field": "city", "stored": "Gdańsk", "sent": "Gdynia"} in [
        {**d, "field": "city"} for d in error["details"]
    ]
    assert Person.objects.get(pk=world.person.pk).city == "Gdańsk"
    fresh = first.patch(url, {"city": "Gdynia"}, content_type="application/json", headers={"If-Match": ok["ETag"]})
    assert fresh.status_code == 200 and Person.objects.get(pk=world.person.pk).city == "Gdynia"


def _step(world: World) -> Any:
    from ownpath.modules.counselling import services
    from ownpath.modules.counselling.choices import StepKind

    return services.add_step(
        world.users[Role.COUNSELLOR],
        world.person,
        {"kind": StepKind.LANGUAGE_COURSE, "title": "Polish B1", "responsible_organisation": world.centre},
        channel=UI,
    )


def test_path_steps_form_and_api(world: World) -> None:
    from ownpath.modules.counselling.models import Step

    step = _step(world)
    url = reverse("counselling:step_edit", args=[step.pk])
    first, second = signed_in(world.users[Role.COUNSELLOR]), signed_in(world.users[Role.ORG_ADMIN])
    version = version_in(first.get(url).content.decode())
    api_etag = second.get(f"/api/v1/counselling/people/{world.person.pk}/path").json()["steps"][0]["etag"]
    assert api_etag == version
    changed = second.patch(
        f"/api/v1/counselling/steps/{step.pk}",
        {"title": "Polish B2"},
        content_type="application/json",
        headers={"If-Match": f'"{api_etag}"'},
    )
    assert changed.status_code == 200
    form = {"kind": step.kind, "title": "Polish A2+", "responsible_organisation": world.centre.pk, "status": "planned"}
    stale = first.post(url, {**form, "version": version})
    assert stale.status_code == 400 and "Polish B2" in stale.content.decode()
    assert Step.objects.get(pk=step.pk).title == "Polish B2"
    again = second.patch(
        f"/api/v1/counselling/steps/{step.pk}",
        {"title": "Polish C1"},
        content_type="application/json",
        headers={"If-Match": api_etag},
    )
    assert again.status_code == 412 and Step.objects.get(pk=step.pk).title == "Polish B2"


def test_referrals_form_and_api(world: World) -> None:
    from ownpath.modules.counselling import services
    from ownpath.modules.counselling.models import Referral

    consent_service.give_consent(
        world.users[Role.COUNSELLOR],
        world.person,
        recipients=[world.ngo],
        purpose="referral",
        scope=["identity"],
        evidence="Signed form",
    )
    referral = services.send_referral(
        world.users[Role.COUNSELLOR], world.person, world.ngo, service="Polish B1", scope=[], channel=UI
    )
    receiver = signed_in(world.users["ngo_counsellor"])
    page = receiver.get(reverse("counselling:referrals")).content.decode()
    version = version_in(page)
    # Meanwhile the sender cancels it.
    sender = signed_in(world.users[Role.COUNSELLOR])
    etag = sender.get("/api/v1/counselling/referrals").json()["sent"][0]["etag"]
    assert etag == version
    cancelled = sender.post(
        f"/api/v1/counselling/referrals/{referral.pk}/cancel",
        {"text": "The person found a course"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert cancelled.status_code == 200
    answer = receiver.post(
        reverse("counselling:referral_answer", args=[referral.pk]), {"decision": "accept", "version": version}
    )
    shown = receiver.get(answer["Location"]).content.decode()
    assert "Someone else saved this record" in shown and Referral.objects.get(pk=referral.pk).status == "cancelled"
    stale = receiver.post(
        f"/api/v1/counselling/referrals/{referral.pk}/accept",
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert stale.status_code in (404, 412) and Referral.objects.get(pk=referral.pk).status == "cancelled"


@pytest.mark.usefixtures("esco")
def test_vacancies_form_and_api(world: World) -> None:
    from ownpath.modules.employers import services
    from ownpath.modules.employers.models import Vacancy
    from tests.test_employers_matching import employer_setup, welder_vacancy

    vacancy = welder_vacancy(world, employer_setup(world))
    contact = signed_in(world.users[Role.EMPLOYER_CONTACT])
    edit = reverse("employers:vacancy_edit", args=[world.employer.pk, vacancy.pk])
    version = version_in(contact.get(edit).content.decode())
    assert version == services.vacancy_version(vacancy)
    closed = contact.post(
        f"/api/v1/employers/vacancies/{vacancy.pk}/status",
        {"status": "closed"},
        content_type="application/json",
        headers={"If-Match": version},
    )
    assert closed.status_code == 200 and closed["ETag"] != f'"{version}"'
    stale = contact.post(
        f"/api/v1/employers/vacancies/{vacancy.pk}/status",
        {"status": "filled"},
        content_type="application/json",
        headers={"If-Match": version},
    )
    assert stale.status_code == 412 and Vacancy.objects.get(pk=vacancy.pk).status == "closed"
    # The edit form's save goes through the same check (the form's hidden version).
    data = services.VacancyInput({"title": "Spawacz TIG"}, [], [], [])
    with pytest.raises(StaleEdit):
        services.save_vacancy(
            world.users[Role.EMPLOYER_CONTACT], world.employer, data, vacancy, expected_version=version
        )
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Spawacz MIG/MAG"


def test_services_form(world: World) -> None:
    from ownpath.core.choices import OrganisationKind
    from ownpath.modules.directory import demo
    from ownpath.modules.directory.models import Service
    from tests.factories import OrganisationFactory, staff

    for slug, name, *_rest in demo.ORGANISATIONS:
        OrganisationFactory(slug=slug, name=name, kind=OrganisationKind.NGO)
    demo.load()
    service = Service.objects.get(pk=demo._id("service", "legal-uk"))
    url = reverse("directory:service_edit", args=[service.pk])
    first = signed_in(staff(Role.NETWORK_ADMIN, world.county))
    second = signed_in(staff(Role.NETWORK_ADMIN, world.county))
    version = version_in(first.get(url).content.decode())
    assert (
        second.post(url, {"name": "Legal advice (new hours)", "status": "active", "version": version}).status_code
        == 302
    )
    stale = first.post(url, {"name": "Legal advice in Ukrainian", "status": "active", "version": version})
    html = stale.content.decode()
    assert stale.status_code == 400 and "Legal advice (new hours)" in html
    assert Service.objects.get(pk=service.pk).name == "Legal advice (new hours)"


def test_a_patch_without_if_match_is_refused_with_428_and_star_overwrites_deliberately(world: World) -> None:
    """If-Match is required on every PATCH (docs/concurrency.md): without it nothing is written (428, RFC
    6585); ``If-Match: *`` is the client saying it overwrites whatever is stored."""
    client = signed_in(world.users[Role.COUNSELLOR])
    url = f"/api/v1/people/{world.person.pk}"
    missing = client.patch(url, {"city": "Rumia"}, content_type="application/json")
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    assert Person.objects.get(pk=world.person.pk).city != "Rumia"
    blank = client.patch(url, {"city": "Rumia"}, content_type="application/json", headers={"If-Match": " "})
    assert blank.status_code == 428
    star = client.patch(url, {"city": "Rumia"}, content_type="application/json", headers={"If-Match": "*"})
    assert star.status_code == 200 and Person.objects.get(pk=world.person.pk).city == "Rumia"
