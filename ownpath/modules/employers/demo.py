"""Demo data of the employers module: the three employers of the core demo get profiles, places of work,
contacts, a trained workplace instructor and partnership agreements with the career centre; they post
vacancies (a welder in Polish, warehouse work, hotel jobs in English); a recruitment event in Gdynia has
interview slots and registrations; one client was hired and the 3-month follow-up is done. The employers'
information package (English and Polish, one article in Ukrainian), good practices and a work-shadowing
visit complete it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ownpath.core.esco.models import EscoConcept
from ownpath.core.esco.sample_data import ensure_sample
from ownpath.core.models import Organisation, Person, User
from ownpath.core.services import translations
from ownpath.modules.employers import services
from ownpath.modules.employers.choices import VacancyStatus
from ownpath.modules.employers.models import Article, EmployerProfile, FollowUp, RecruitmentEvent, Vacancy

DEMO = "demo.ownpath.org"
EMPLOYERS = {
    "baltic-shipyard": ("C", "30.11", "medium", "https://baltic-shipyard.example", ["pl", "uk", "en"],
                        ("Hala B", "ul. Indyjska 7", "81-336", "Gdynia", 54.533, 18.545), ("Marek Kamiński", "HR manager")),
    "pomorskie-logistics": ("H", "52.10", "large", "https://pomorskie-logistics.example", ["pl", "ru"],
                            ("Magazyn Centralny", "ul. Przemysłowa 12", "83-000", "Pruszcz Gdański", 54.262, 18.636), ("Beata Lis", "Recruiter")),
    "sopot-hotels": ("I", "55.10", "medium", "https://sopot-hotels.example", ["pl", "en", "uk"],
                     ("Grand Morski", "ul. Powstańców Warszawy 12", "81-718", "Sopot", 54.445, 18.570), ("Olga Nowicka", "Hotel manager")),
}  # fmt: skip


def _occupation(label: str) -> str:
    return EscoConcept.objects.filter(kind="occupation", labels__language="en", labels__kind="pref",
                                      labels__text=label).values_list("uri", flat=True).first() or ""  # fmt: skip


def _vacancy(actor: User, employer: Organisation, occupation: str, **values: object) -> Vacancy:
    concept = EscoConcept.objects.get(uri=_occupation(occupation))
    essential, optional = services.occupation_skills(concept)
    languages = values.pop("languages_wanted")
    data = services.VacancyInput(
        values={"location": employer.employer_locations.first(), "occupation": concept.uri, **values},
        essential=[c.uri for c in essential][:12], optional=[c.uri for c in optional][:8], languages=languages,  # type: ignore[arg-type]
    )  # fmt: skip
    vacancy = services.save_vacancy(actor, employer, data)
    return services.set_vacancy_status(actor, vacancy, VacancyStatus.PUBLISHED)


ARTICLES = [
    ("employing-legally", "law", {"citizenship": "UA", "residence_title": "temporary_protection", "has_karta_polaka": False},
     {"en": ("Employing a migrant legally: the first questions",
             "Before the first day of work, check three things: the person's residence title, whether work needs a permit or a "
             "notification, and who must do what by when.\n\nDo not copy rules from an old leaflet: they change. The legal "
             "navigator asks only the questions that matter and shows the current route, the fees and the deadlines, with the "
             "articles of law they come from.\n\nKeep a copy of the residence document and of the notification or permit with the "
             "contract."),
      "pl": ("Legalne zatrudnienie cudzoziemca: pierwsze pytania",
             "Przed pierwszym dniem pracy sprawdź trzy rzeczy: tytuł pobytowy, czy praca wymaga zezwolenia albo powiadomienia, "
             "oraz kto i do kiedy musi coś zrobić.\n\nNie przepisuj zasad ze starej ulotki: zmieniają się. Nawigator prawny zadaje "
             "tylko potrzebne pytania i pokazuje aktualną ścieżkę, opłaty i terminy wraz z przepisami.\n\nKopię dokumentu pobytowego "
             "i powiadomienia lub zezwolenia przechowuj razem z umową."),
      "uk": ("Легальне працевлаштування іноземця: перші питання",
             "Перед першим робочим днем перевірте три речі: документ про перебування, чи потрібен дозвіл або повідомлення, і хто "
             "що має зробити до якого терміну.\n\nНавігатор ставить лише потрібні питання і показує чинний шлях, збори та терміни.")}),
    ("first-weeks", "onboarding", {},
     {"en": ("The first weeks: onboarding that works",
             "Name one person the newcomer can ask anything. Show the workplace on day one: toilets, breaks, safety, who to call. "
             "Give the most important rules in writing, in plain language and, if you can, in the person's language.\n\nPlan a "
             "short talk after one week and after one month."),
      "pl": ("Pierwsze tygodnie: wdrożenie, które działa",
             "Wskaż jedną osobę, którą nowy pracownik może o wszystko zapytać. Pierwszego dnia pokaż miejsce pracy: przerwy, BHP, "
             "do kogo dzwonić. Najważniejsze zasady daj na piśmie, prostym językiem.\n\nZaplanuj krótką rozmowę po tygodniu i po "
             "miesiącu.")}),
    ("multicultural-teams", "teams", {},
     {"en": ("Building a multicultural team",
             "Differences in how people ask questions, disagree or show respect are normal. Agree on team rules together, explain "
             "the reasons behind them, and stop jokes about origin at once.\n\nMixed pairs for the first tasks help both sides."),
      "pl": ("Budowanie zespołu wielokulturowego",
             "Różnice w tym, jak ludzie zadają pytania, nie zgadzają się czy okazują szacunek, są normalne. Ustalcie zasady "
             "zespołu wspólnie i wyjaśnijcie ich powody. Żarty z pochodzenia przerywaj od razu.")}),
    ("plain-language", "plain_language", {},
     {"en": ("Plain language at work",
             "Short sentences. One instruction at a time. Show, then ask the person to show you. Avoid idioms and abbreviations. "
             "Write numbers as digits. Check understanding with open questions, not \"Is that clear?\"."),
      "pl": ("Prosty język w pracy",
             "Krótkie zdania. Jedno polecenie naraz. Pokaż, a potem poproś, żeby pokazano tobie. Unikaj idiomów i skrótów. "
             "Sprawdzaj zrozumienie pytaniami otwartymi, a nie „Czy to jasne?”."),
      "uk": ("Проста мова на роботі",
             "Короткі речення. Одна вказівка за раз. Покажіть, а потім попросіть людину показати вам. Уникайте ідіом і скорочень. "
             "Пишіть числа цифрами. Перевіряйте розуміння відкритими запитаннями, а не «Чи все зрозуміло?»."),
      "ar": ("لغة بسيطة في العمل",
             "جمل قصيرة. تعليمة واحدة في كل مرة. اعرض أولاً، ثم اطلب من الشخص أن يريك. تجنّب التعابير الاصطلاحية والاختصارات. "
             "اكتب الأعداد بالأرقام. تحقّق من الفهم بأسئلة مفتوحة، لا بسؤال «هل هذا واضح؟».")}),
]  # fmt: skip

PRACTICES = [
    ("Recruitment day with interpreters", "Kemi-Tornio network", "FI",
     "Employers and job seekers met in one hall; cultural mediators joined each interview, and counsellors prepared job "
     "seekers the week before. A third of the interviews led to work trials.", ["recruitment_events"]),
    ("Workplace instructors trained in plain language", "Gdańsk shipyard partnership", "PL",
     "Foremen took a one-day course on plain language and showing instead of telling; accidents among new workers fell.",
     ["instructor", "language_support"]),
    ("Language café during lunch breaks", "Vilnius logistics employers' group", "LT",
     "Twice a week, volunteers from the staff talk with migrant colleagues in the local language during lunch.",
     ["language_support"]),
]  # fmt: skip


@transaction.atomic
def load() -> str:
    ensure_sample()
    admin = User.objects.get(email=f"network-admin@{DEMO}")
    centre = Organisation.objects.get(slug="career-centre")
    today = timezone.localdate()
    employers = {}
    for slug, (section, code, size, web, langs, place, contact) in EMPLOYERS.items():
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            continue
        employers[slug] = org
        if EmployerProfile.objects.filter(organisation=org).exists():
            continue
        services.save_employer(admin, {"name": org.name, "nace_section": section, "nace_code": code, "size": size,
                                       "website": web, "languages": langs}, org)  # fmt: skip
        name, street, postcode, city, lat, lon = place
        services.add_location(admin, org, {"name": name, "street": street, "postcode": postcode, "city": city,
                                           "region": "pomorskie", "latitude": lat, "longitude": lon})  # fmt: skip
        services.add_contact(admin, org, {"name": contact[0], "role": contact[1], "email": f"hr@{slug}.example"})
        services.create_agreement(admin, org, centre, {"starts_on": today - timedelta(days=200), "ends_on": today + timedelta(days=165),
                                  "signed_on": today - timedelta(days=205), "commitments": ["internships", "language_support", "recruitment_events"]})  # fmt: skip
    if not employers or Vacancy.objects.exists():
        return "employers: already loaded"
    shipyard, logistics, hotels = (
        employers["baltic-shipyard"],
        employers["pomorskie-logistics"],
        employers["sopot-hotels"],
    )
    services.add_instructor(admin, shipyard, {"name": "Zbigniew Orzeł", "languages": ["pl", "ru"],
                                              "trained_on": today - timedelta(days=60)})  # fmt: skip
    ended = services.create_agreement(admin, logistics, centre, {"starts_on": today - timedelta(days=600), "ends_on": today - timedelta(days=235),
                                      "signed_on": today - timedelta(days=600), "commitments": ["supported_work"]})  # fmt: skip
    services.end_agreement(admin, ended)
    services.renew_agreement(admin, ended, months=12)
    employer_user = User.objects.get(email=f"employer@{DEMO}")
    welder = _vacancy(employer_user, shipyard, "welder", title="Spawacz MIG/MAG", language="pl",
                      description="Spawanie konstrukcji stalowych metodą MIG/MAG na hali. Praca zmianowa, szkolenie BHP na start. "
                                  "Pomagamy w legalizacji pracy.",
                      contract_type="employment", hours="full_time", hours_per_week=40, wage_min=Decimal("7500"), wage_max=Decimal("9500"),
                      currency="PLN", wage_unit="MONTH", starts_on=today + timedelta(days=30), valid_through=today + timedelta(days=45),
                      places=3, handles_work_permit=True, languages_wanted=[("pl", "A2", False)])  # fmt: skip
    _vacancy(admin, logistics, "warehouse worker", title="Magazynier / magazynierka", language="pl",
             description="Kompletacja zamówień, praca ze skanerem. Umowa na czas określony z możliwością przedłużenia.",
             contract_type="fixed_term", hours="full_time", hours_per_week=40, wage_min=Decimal("32"), wage_max=Decimal("36"),
             currency="PLN", wage_unit="HOUR", starts_on=today + timedelta(days=14), duration_months=12,
             valid_through=today + timedelta(days=30), places=5, languages_wanted=[("pl", "A1", True), ("ru", "B1", False)])  # fmt: skip
    _vacancy(admin, hotels, "cook", title="Cook (hotel restaurant)", language="en",
             description="Hot kitchen in a 120-room hotel by the sea. Seasonal bonus; meals and uniform provided.",
             contract_type="seasonal", hours="full_time", hours_per_week=40, wage_min=Decimal("6500"), wage_max=Decimal("8000"),
             currency="PLN", wage_unit="MONTH", starts_on=today + timedelta(days=60), duration_months=6,
             valid_through=today + timedelta(days=50), languages_wanted=[("pl", "A2", False), ("en", "B1", True)])  # fmt: skip
    _vacancy(admin, hotels, "hospitality establishment receptionist", title="Receptionist", language="en",
             description="Front desk in English and Polish; Ukrainian welcome. Shifts, including weekends.",
             contract_type="employment", hours="part_time", hours_per_week=30, wage_min=Decimal("5200"), wage_max=Decimal("5200"),
             currency="PLN", wage_unit="MONTH", valid_through=today + timedelta(days=40),
             languages_wanted=[("en", "B2", True), ("pl", "B1", True)])  # fmt: skip
    start = timezone.make_aware(datetime.combine(today + timedelta(days=21), time(10, 0)))
    event = services.create_event(admin, Organisation.objects.get(slug="network-office"), {
        "title": "Targi pracy dla cudzoziemców · Job fair Gdynia", "starts_at": start, "ends_at": start + timedelta(hours=4),
        "place": "Pomorski Park Naukowo-Technologiczny", "address": "al. Zwycięstwa 96/98, Gdynia",
        "description": "Employers from shipbuilding, logistics and hotels; interpreters for Ukrainian, Russian and Arabic.",
        "capacity": 120})  # fmt: skip
    services.add_event_employer(admin, event, shipyard, vacancies=[welder], slot_minutes=20, slots_from=start,
                                slots_until=start + timedelta(hours=2))  # fmt: skip
    services.add_event_employer(admin, event, hotels, vacancies=list(hotels.vacancies.all()), slot_minutes=15,
                                slots_from=start + timedelta(hours=1), slots_until=start + timedelta(hours=3))  # fmt: skip
    counsellor = User.objects.get(email=f"counsellor@{DEMO}")
    clients = list(Person.objects.filter(organisation=centre).order_by("pk")[:4])
    for person in clients[:3]:
        services.register_person(counsellor, event, person)
    services.register_self(event, name="Ahmad Rahimi", email="ahmad.rahimi@example.org", phone="", language="fa")
    registration = event.registrations.filter(person__isnull=False).first()
    if registration:
        services.book_slot(admin, event.slots.filter(employer=shipyard).first(), registration)  # type: ignore[arg-type]
    if len(clients) >= 4:
        hire = services.record_hire(counsellor, clients[3], logistics, starts_on=today - timedelta(days=100),
                                    contract_type="fixed_term", source="event")  # fmt: skip
        follow = FollowUp.objects.get(hire=hire, months=3)
        services.record_follow_up(
            counsellor, follow, still_employed=True, notes="Works the morning shift; wants a forklift course."
        )
    for n, (key, topic, case, texts) in enumerate(ARTICLES):
        original = texts["en"]
        article = services.save_article(admin, key=key, topic=topic, language="en", title=original[0], body=original[1],
                                        organisation=centre, navigator_case={"jurisdiction": "PL", **case} if case else {},
                                        published=True, order=n)  # fmt: skip
        for language, (title, body) in texts.items():
            if language != "en":
                translations.set_translation(
                    admin, services.MODULE, "article", article.pk, "title", language, title, status="human"
                )
                translations.set_translation(
                    admin, services.MODULE, "article", article.pk, "body", language, body, status="human"
                )
    for title, org_name, country, summary, topics in PRACTICES:
        services.save_good_practice(admin, {"title": title, "organisation_name": org_name, "country": country,
                                            "summary": summary, "topics": topics, "language": "en"})  # fmt: skip
    services.record_shadowing_visit(admin, shipyard, {"visitors": "3 counsellors, 1 cultural mediator", "visitor_organisation": centre,
                                    "visited_on": today - timedelta(days=30), "purpose": "See the welding hall and the safety induction",
                                    "report": "Induction relies on pictures; a Ukrainian-speaking foreman helps in the first week."})  # fmt: skip
    return (f"employers: {len(employers)} employers, {Vacancy.objects.count()} vacancies, {RecruitmentEvent.objects.count()} "
            f"recruitment event, {Article.objects.count()} articles")  # fmt: skip
