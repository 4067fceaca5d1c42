"""Demo data of mentoring: Ukrainian House Gdynia runs the programme. Six graduates of the spring mentor
path are approved mentors (peer mentors from Ukraine, Syria and Eritrea, volunteers from Poland); this
winter's trainees are applicants who cannot be matched yet. Ten clients of the career centre agreed to
mentoring and were shared with the programme; a global match paired them; three pairs have accepted
contracts (one in Ukrainian, one in Arabic), meetings and progress; one pair was not a good fit."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import ConsentPurpose
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import consent
from ownpath.modules.mentoring import services
from ownpath.modules.mentoring.models import Mentee, Mentor

PLACES = {
    "Gdynia": (54.518, 18.531),
    "Gdańsk": (54.352, 18.646),
    "Rumia": (54.571, 18.388),
    "Sopot": (54.441, 18.560),
    "Reda": (54.604, 18.348),
    "Wejherowo": (54.605, 18.236),
}
# name, e-mail, kind, gender, language, languages, country, lived experience, profession, sector, place,
# availability, capacity
MENTORS = [
    ("Volodymyr Hnatiuk", "mentor@demo.ownpath.org", "peer", "man", "uk", [["uk", "native"], ["ru", "C2"], ["pl", "C1"]], "UA",
     ["refugee", "diploma_recognised"], "Civil engineer", "F", "Gdynia", ["weekday_evening", "saturday"], 3),
    ("Layla Haddad", "layla.haddad@demo.ownpath.org", "peer", "woman", "ar", [["ar", "native"], ["pl", "B2"], ["en", "C1"]], "SY",
     ["refugee", "single_parent", "language_as_adult"], "Pharmacist", "Q", "Gdańsk", ["weekday_morning", "saturday"], 2),
    ("Tetiana Koval", "tetiana.koval@demo.ownpath.org", "peer", "woman", "uk", [["uk", "native"], ["pl", "B2"]], "UA",
     ["single_parent", "career_change"], "Hotel receptionist", "I", "Sopot", ["weekday_evening", "sunday"], 2),
    ("Jan Sikora", "jan.sikora@demo.ownpath.org", "mentor", "man", "pl", [["pl", "native"], ["en", "B2"], ["ru", "B1"]], "PL",
     [], "Logistics manager", "H", "Rumia", ["weekday_afternoon", "weekday_evening"], 2),
    ("Dawit Bekele", "dawit.bekele@demo.ownpath.org", "peer", "man", "en", [["ti", "native"], ["am", "C1"], ["en", "C1"], ["pl", "B1"]], "ER",
     ["refugee", "own_business"], "Owner of a cleaning company", "N", "Gdynia", ["saturday", "sunday"], 2),
    ("Ewelina Grabowska", "ewelina.grabowska@demo.ownpath.org", "mentor", "woman", "pl", [["pl", "native"], ["uk", "B1"], ["en", "C1"]], "PL",
     ["career_change"], "HR specialist", "M", "Gdańsk", ["weekday_evening"], 2),
]  # fmt: skip
APPLICANTS = [
    ("Mariam Nasser", "mariam.nasser@demo.ownpath.org", "peer", "woman", "ar", [["ar", "native"], ["pl", "B1"]], "IQ",
     ["refugee"], "Teacher", "P", "Reda", ["weekday_morning"], 1),
    ("Oksana Melnyk", "oksana.melnyk@demo.ownpath.org", "peer", "woman", "uk", [["uk", "native"], ["pl", "B2"]], "UA",
     ["diploma_recognised"], "Nurse", "Q", "Gdynia", ["weekday_evening"], 2),
]  # fmt: skip
EXPERIENCE = [
    ["refugee"],
    ["single_parent"],
    ["refugee", "diploma_recognised"],
    [],
    ["language_as_adult"],
    ["career_change"],
]
SECTORS = ["F", "Q", "I", "H", "N", "M", "C", "G"]
TIMES = [["weekday_evening"], ["saturday", "sunday"], ["weekday_morning", "saturday"], ["weekday_evening", "saturday"]]


def _mentor(programme: Organisation, coordinator: User, row: tuple, *, approve: bool) -> Mentor:  # type: ignore[type-arg]
    name, email, kind, gender, language, languages, country, experience, profession, sector, place, times, capacity = (
        row
    )
    found = Mentor.objects.filter(organisation=programme, email=email).first()
    if found is not None:
        return found
    lat, lon = PLACES[place]
    mentor = services.create_mentor(
        coordinator,
        programme,
        {
            "name": name, "email": email, "kind": kind, "gender": gender, "preferred_language": language, "languages": languages,
            "country_of_origin": country, "lived_experience": experience, "profession": profession, "sector": sector,
            "municipality": place, "latitude": lat, "longitude": lon, "availability": times, "capacity": capacity,
            "user": User.objects.filter(email=email).first(),
        },
    )  # fmt: skip
    if approve:
        if not mentor.training_completed_on:  # the training demo may load after this one
            services.record_training(
                coordinator,
                mentor,
                completed_on=timezone.localdate() - timedelta(days=170),
                evidence="Mentor and peer-mentor path, spring (Rumia Public Library)",
            )
        services.approve(coordinator, mentor)
    return mentor


def load() -> str:
    programme = Organisation.objects.filter(slug="ukrainian-house").first()
    centre = Organisation.objects.filter(slug="career-centre").first()
    coordinator = User.objects.filter(email="mentoring@demo.ownpath.org").first()
    counsellor = User.objects.filter(email="counsellor@demo.ownpath.org").first()
    if None in (programme, centre, coordinator, counsellor):
        return "Mentoring demo: skipped, the core demo is missing."
    assert programme is not None and centre is not None and coordinator is not None and counsellor is not None
    if Mentor.objects.filter(organisation=programme).exists():
        return "Mentoring demo: already loaded."
    with transaction.atomic():
        for row in MENTORS:
            _mentor(programme, coordinator, row, approve=True)
        for row in APPLICANTS:
            _mentor(programme, coordinator, row, approve=False)
        people = [
            p
            for p in Person.objects.filter(organisation=centre, is_anonymised=False)
            .prefetch_related("languages")
            .order_by("pk")
            if any(pl.level in ("native", "C2", "C1") for pl in p.languages.all())
        ][:10]
        mentees = []
        for index, person in enumerate(people):
            given = consent.give_consent(
                counsellor,
                person,
                recipients=[programme],
                purpose=ConsentPurpose.MENTORING,
                scope=list(services.MENTEE_SCOPE),
                evidence="Signed consent form, mentoring (demo)",
            )
            consent.share_person(
                counsellor, person, programme, purpose=ConsentPurpose.MENTORING, scope=list(services.MENTEE_SCOPE)
            )
            place = list(PLACES)[index % len(PLACES)]
            lat, lon = PLACES[place]
            mentees.append(
                services.register_mentee(
                    coordinator,
                    programme,
                    person,
                    {
                        "lived_experience": EXPERIENCE[index % len(EXPERIENCE)],
                        "sector": SECTORS[index % len(SECTORS)],
                        "municipality": place,
                        "latitude": lat,
                        "longitude": lon,
                        "availability": TIMES[index % len(TIMES)],
                        "wants_peer": index % 3 == 0,
                        "goals_summary": "Find work in my profession and feel at home in the city.",
                    },
                )
            )
            assert given.pk
        run = services.run_match(coordinator, programme)
        pairs = services.publish(coordinator, run)
        today = timezone.localdate()
        for number, pair in enumerate(pairs[:3]):
            written = "pl"
            contract, _tokens = services.write_contract(
                coordinator,
                pair,
                goals=[
                    "Prepare a CV and apply to five employers in the sector.",
                    "Reach B1 in Polish through the library's course.",
                ],
                rules="We meet on time or say a day before; we speak openly; the mentor does not lend money.",
                weeks=16,
                meet_every_days=14,
                contact_forms=["in_person", "messenger"],
                language=written,
                translated={
                    "uk": {
                        "goal_1": "Підготувати резюме і подати заявки п'ятьом роботодавцям галузі.",
                        "goal_2": "Досягти рівня B1 з польської на курсі в бібліотеці.",
                        "rules": "Приходимо вчасно або попереджаємо за день; говоримо відверто; ментор не позичає грошей.",
                    },
                    "ar": {
                        "goal_1": "إعداد سيرة ذاتية والتقدم إلى خمسة أصحاب عمل في القطاع.",
                        "goal_2": "الوصول إلى مستوى B1 في اللغة البولندية عبر دورة المكتبة.",
                        "rules": "نلتقي في الموعد أو نعتذر قبل يوم؛ نتحدث بصراحة؛ لا يقرض المرشد المال.",
                    },
                },
            )
            for party in contract.parties.all():
                services.accept(party, language=party.language)
            pair.refresh_from_db()
            pair.started_on = today - timedelta(days=40 + 10 * number)
            pair.save(update_fields=["started_on"])
            goals = list(contract.goals.all())
            for week in range(0, 5 - number * 2):
                services.log_meeting(
                    coordinator,
                    pair,
                    held_on=pair.started_on + timedelta(days=7 * week + 2),
                    minutes=60 + 15 * (week % 2),
                    form="in_person" if week % 2 == 0 else "messenger",
                    topics="CV, job offers, the language course"
                    if week
                    else "Getting to know each other, the contract",
                    progress={str(goals[0].key): "achieved" if week == 4 else "some"},
                )
            services.record_fit(coordinator, pair, "mentor", "good")
            services.record_fit(coordinator, pair, "mentee", "good")
        if len(pairs) > 4:
            services.write_contract(
                coordinator,
                pairs[3],
                goals=["Open a small business: register it and find the first two clients."],
                rules="We meet on Saturdays at the Ukrainian House.",
                weeks=12,
                meet_every_days=7,
                contact_forms=["in_person"],
                language="pl",
            )
    waiting = Mentee.objects.filter(organisation=programme, status="waiting").count()
    return (
        f"Mentoring demo: {len(MENTORS)} approved mentors, {len(APPLICANTS)} in training, {len(mentees)} mentees, "
        f"{len(pairs)} pairs from a global match ({waiting} still waiting)."
    )
