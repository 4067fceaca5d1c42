"""Demo data of matching: clients of the career centre get candidate profiles (skills from ESCO, some written
in their own words and mapped, occupations with years, availability and place); one Ukrainian client is a
welder who fits the shipyard's vacancy, and is proposed to it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ownpath.core.esco.models import EscoConcept
from ownpath.core.esco.sample_data import ensure_sample
from ownpath.core.models import Organisation, Person, User
from ownpath.modules.matching import services
from ownpath.modules.matching.models import CandidateProfile

DEMO = "demo.ownpath.org"
HOMES = [(54.352, 18.646), (54.518, 18.531), (54.441, 18.560), (54.571, 18.388), (54.262, 18.636), (54.605, 18.236)]
# occupation (ESCO English label), years, free-text skills in the client's language
PROFILES = [
    ("welder", 6, ["зварювання", "читання креслень"], "uk"),
    ("nurse responsible for general care", 9, [], "uk"),
    ("cook", 4, ["cook meals"], "en"),
    ("warehouse worker", 2, ["operate forklift"], "en"),
    ("hospitality establishment receptionist", 3, ["customer service"], "en"),
    ("domestic cleaner", 5, [], "en"),
]


def _occupation(label: str) -> EscoConcept | None:
    return EscoConcept.objects.filter(
        kind="occupation", labels__language="en", labels__kind="pref", labels__text=label
    ).first()


@transaction.atomic
def load() -> str:
    ensure_sample()
    if CandidateProfile.objects.exists():
        return "matching: already loaded"
    counsellor = User.objects.get(email=f"counsellor@{DEMO}")
    centre = Organisation.objects.get(slug="career-centre")
    people = list(Person.objects.filter(organisation=centre, is_anonymised=False).order_by("pk")[: len(PROFILES)])
    for n, (person, (label, years, texts, language)) in enumerate(zip(people, PROFILES, strict=False)):
        occupation = _occupation(label)
        if occupation is None:
            continue
        lat, lon = HOMES[n % len(HOMES)]
        services.save_profile(counsellor, person, {"available_from": timezone.localdate() + timedelta(days=7 * n), "hours": "any",
                              "max_commute_km": 40, "latitude": lat, "longitude": lon, "is_active": True})  # fmt: skip
        services.add_occupation(counsellor, person, occupation.uri, years)
        skills = list(
            EscoConcept.objects.filter(relations_in__source=occupation, relations_in__kind="essential").order_by("uri")[
                : 8 - n
            ]
        )
        for skill in skills:
            services.add_skill(counsellor, person, skill.uri, evidence="experience")
        services.add_free_text_skills(counsellor, person, texts, language=language)
    welder = people[0] if people else None
    from ownpath.core import events  # noqa: F401  (vectors are written by the event handler after commit)

    transaction.on_commit(lambda: _propose(counsellor, welder))
    return f"matching: {len(people)} candidate profiles"


def _propose(counsellor: User, welder: Person | None) -> None:
    from ownpath.core.registry import registry

    service = registry.capability("employers.vacancies")
    if welder is None or service is None:
        return
    services.rebuild_vectors()
    for vacancy in service.many(service.open_ids()):
        if vacancy["title"].startswith("Spawacz"):
            services.propose(counsellor, vacancy["id"], welder, language="pl")
