"""The demo network: invented organisations, one staff account per role and about 200 invented people.

Reproducible (a fixed seed) and idempotent (running it again adds nothing). Demo accounts carry
``is_demo``; their password and TOTP secrets are public, so production refuses them.
"""

from __future__ import annotations

import base64
import hashlib
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import (
    CEFRLevel,
    Channel,
    ConsentPurpose,
    DataScope,
    ISCEDLevel,
    NeedKind,
    RecognitionStatus,
    Role,
    SensitiveGroup,
    Sex,
)
from ownpath.core.choices import (
    OrganisationKind as K,
)
from ownpath.core.choices import (
    ResidenceStatus as R,
)
from ownpath.core.models import Membership, Network, Organisation, Person, Qualification, User, WorkExperience
from ownpath.core.services import consent as consent_service
from ownpath.core.services import people as people_service

DEMO_PASSWORD = "ownpath-demo-2026"  # noqa: S105  (published on purpose; production refuses demo accounts)
DEMO_DOMAIN = "demo.ownpath.org"
SEED = 2026
PEOPLE = 200

ORGANISATIONS = [
    # slug, name, kind, parent slug, city
    ("network-office", "Pomeranian Integration Network Office", K.NETWORK_OFFICE, None, "Gdańsk"),
    ("metropolis", "Gdańsk-Gdynia-Sopot Metropolis", K.METROPOLIS, None, "Gdańsk"),
    ("gdansk-county", "Gdańsk County", K.COUNTY, "metropolis", "Pruszcz Gdański"),
    ("wejherowo-county", "Wejherowo County", K.COUNTY, "metropolis", "Wejherowo"),
    ("pruszcz", "Municipality of Pruszcz Gdański", K.MUNICIPALITY, "gdansk-county", "Pruszcz Gdański"),
    ("kolbudy", "Municipality of Kolbudy", K.MUNICIPALITY, "gdansk-county", "Kolbudy"),
    ("reda", "Municipality of Reda", K.MUNICIPALITY, "wejherowo-county", "Reda"),
    ("rumia", "Municipality of Rumia", K.MUNICIPALITY, "wejherowo-county", "Rumia"),
    ("career-centre", "Intercultural Career Counselling Centre", K.COUNSELLING_CENTRE, "metropolis", "Gdańsk"),
    ("migrant-rights", "Foundation for Migrant Rights", K.NGO, "metropolis", "Gdańsk"),
    ("ukrainian-house", "Ukrainian House Gdynia", K.NGO, "metropolis", "Gdynia"),
    ("labour-office", "County Labour Office in Wejherowo", K.LABOUR_OFFICE, "wejherowo-county", "Wejherowo"),
    ("rumia-library", "Rumia Public Library", K.LIBRARY, "rumia", "Rumia"),
    ("baltic-shipyard", "Baltic Shipyard Services", K.EMPLOYER, None, "Gdynia"),
    ("pomorskie-logistics", "Pomorskie Logistics", K.EMPLOYER, None, "Pruszcz Gdański"),
    ("sopot-hotels", "Sopot Hotel Group", K.EMPLOYER, None, "Sopot"),
]

STAFF = [
    # local part, given, family, role, organisation slug, interface language
    ("network-admin", "Ewa", "Nowak", Role.NETWORK_ADMIN, "network-office", "pl"),
    ("org-admin", "Piotr", "Zieliński", Role.ORG_ADMIN, "career-centre", "pl"),
    ("counsellor", "Anna", "Kowalczyk", Role.COUNSELLOR, "career-centre", "en"),
    ("psychologist", "Marta", "Wiśniewska", Role.PSYCHOLOGIST, "career-centre", "pl"),
    ("legal-adviser", "Tomasz", "Lewandowski", Role.LEGAL_ADVISER, "career-centre", "pl"),
    ("mediator", "Hanna", "Bondar", Role.CULTURAL_MEDIATOR, "career-centre", "uk"),
    ("helpline", "Iryna", "Petrenko", Role.HELPLINE_OPERATOR, "migrant-rights", "uk"),
    ("mentoring", "Karolina", "Mazur", Role.MENTORING_COORDINATOR, "ukrainian-house", "pl"),
    ("mentor", "Volodymyr", "Hnatiuk", Role.MENTOR, "ukrainian-house", "uk"),
    ("trainer", "Agnieszka", "Wójcik", Role.TRAINER, "rumia-library", "pl"),
    ("employer", "Marek", "Kamiński", Role.EMPLOYER_CONTACT, "baltic-shipyard", "pl"),
    ("migration-team", "Joanna", "Dąbrowska", Role.MIGRATION_TEAM_COORDINATOR, "gdansk-county", "pl"),
    ("auditor", "Krzysztof", "Szymański", Role.AUDITOR, "metropolis", "en"),
]


@dataclass(frozen=True)
class Origin:
    country: str
    language: str
    statuses: tuple[str, ...]
    given: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]


ORIGINS = [
    Origin(
        "UA",
        "uk",
        (R.TEMPORARY_PROTECTION, R.TEMPORARY_PROTECTION, R.TEMPORARY_RESIDENCE, R.PERMANENT_RESIDENCE),
        (
            ("Олександр", "Oleksandr"),
            ("Олена", "Olena"),
            ("Андрій", "Andrii"),
            ("Наталія", "Nataliia"),
            ("Тарас", "Taras"),
            ("Оксана", "Oksana"),
            ("Дмитро", "Dmytro"),
            ("Ірина", "Iryna"),
            ("Юлія", "Yuliia"),
            ("Сергій", "Serhii"),
            ("Мирослава", "Myroslava"),
            ("Віктор", "Viktor"),
            ("Богдан", "Bohdan"),
        ),
        (
            ("Шевченко", "Shevchenko"),
            ("Коваленко", "Kovalenko"),
            ("Бондаренко", "Bondarenko"),
            ("Ткаченко", "Tkachenko"),
            ("Кравчук", "Kravchuk"),
            ("Олійник", "Oliinyk"),
            ("Мельник", "Melnyk"),
            ("Лисенко", "Lysenko"),
            ("Савчук", "Savchuk"),
            ("Гончаренко", "Honcharenko"),
            ("Грищук", "Hryshchuk"),
        ),
    ),
    Origin(
        "BY",
        "be",
        (R.TEMPORARY_RESIDENCE, R.NATIONAL_VISA, R.SUBSIDIARY_PROTECTION),
        (("Аляксандр", "Aliaksandr"), ("Вольга", "Volha"), ("Сяргей", "Siarhei"), ("Таццяна", "Tatsiana")),
        (("Лукашэвіч", "Lukashevich"), ("Ковальчык", "Kavalchyk"), ("Жук", "Zhuk"), ("Савіцкі", "Savitski")),
    ),
    Origin(
        "SY",
        "ar",
        (R.REFUGEE, R.SUBSIDIARY_PROTECTION, R.ASYLUM_SEEKER),
        (
            ("محمد", "Mohammed"),
            ("أحمد", "Ahmad"),
            ("فاطمة", "Fatima"),
            ("ليلى", "Layla"),
            ("عمر", "Omar"),
            ("رنا", "Rana"),
            ("خالد", "Khaled"),
            ("نور", "Nour"),
        ),
        (
            ("الأحمد", "Al-Ahmad"),
            ("حداد", "Haddad"),
            ("الخطيب", "Al-Khatib"),
            ("شامي", "Shami"),
            ("حسن", "Hassan"),
            ("ابراهيم", "Ibrahim"),
        ),
    ),
    Origin(
        "GE",
        "ka",
        (R.VISA_FREE, R.TEMPORARY_RESIDENCE),
        (("ნინო", "Nino"), ("გიორგი", "Giorgi"), ("ლევან", "Levan"), ("თამარ", "Tamar")),
        (("ბერიძე", "Beridze"), ("კაპანაძე", "Kapanadze"), ("გელაშვილი", "Gelashvili")),
    ),
    Origin(
        "IN",
        "hi",
        (R.TEMPORARY_RESIDENCE, R.NATIONAL_VISA),
        (("राहुल", "Rahul"), ("प्रिया", "Priya"), ("अमित", "Amit")),
        (("शर्मा", "Sharma"), ("पटेल", "Patel"), ("सिंह", "Singh")),
    ),
    Origin(
        "VN",
        "vi",
        (R.TEMPORARY_RESIDENCE, R.PERMANENT_RESIDENCE),
        (("Văn An", "Van An"), ("Thị Mai", "Thi Mai"), ("Minh Tuấn", "Minh Tuan")),
        (("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Phạm", "Pham")),
    ),
    Origin(
        "ER",
        "ti",
        (R.REFUGEE, R.ASYLUM_SEEKER),
        (("ሰላም", "Selam"), ("ዳዊት", "Dawit"), ("ሄለን", "Helen")),
        (("ተኽለ", "Tekle"), ("ገብረ", "Gebre"), ("ሃይለ", "Haile")),
    ),
    Origin(
        "AF",
        "prs",
        (R.REFUGEE, R.SUBSIDIARY_PROTECTION),
        (("احمد", "Ahmad"), ("زهرا", "Zahra"), ("مریم", "Maryam")),
        (("رحیمی", "Rahimi"), ("کریمی", "Karimi"), ("نوری", "Noori")),
    ),
    Origin(
        "TR",
        "tr",
        (R.TEMPORARY_RESIDENCE,),
        (("Ayşe", "Ayse"), ("Mehmet", "Mehmet"), ("Elif", "Elif")),
        (("Yılmaz", "Yilmaz"), ("Demir", "Demir"), ("Çelik", "Celik")),
    ),
]
ORIGIN_WEIGHTS = [50, 10, 12, 6, 5, 4, 4, 5, 4]
JOBS = [
    "Welder",
    "Nurse",
    "Accountant",
    "Teacher",
    "Truck driver",
    "Cook",
    "Software developer",
    "Electrician",
    "Hairdresser",
    "Civil engineer",
    "Shop assistant",
    "Warehouse worker",
]
HOLDERS = ["career-centre"] * 6 + ["migrant-rights"] * 2 + ["ukrainian-house", "labour-office"]


def totp_secret(email: str) -> str:
    """A stable TOTP secret for a demo account, so the printed logins stay valid across runs."""
    return base64.b32encode(hashlib.sha256(f"ownpath-demo:{email}".encode()).digest()[:20]).decode()


def current_code(secret: str) -> str:
    """The TOTP code of ``secret`` at this moment, as an authenticator app would show it."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def demo_user(local: str, given: str, family: str, language: str) -> User:
    """The demo account ``local@demo.ownpath.org`` with the demo password and its stable TOTP secret, so that
    it signs in with two factors like every staff account (modules' demos add theirs through this too)."""
    email = f"{local}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": local,
            "first_name": given,
            "last_name": family,
            "is_demo": True,
            "preferred_language": language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret(email))
    return user


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(e-mail, role label, organisation name, TOTP secret) for every demo account."""
    names = {slug: name for slug, name, *_ in ORGANISATIONS}
    rows = []
    for local, _g, _f, role, org, _lang in STAFF:
        email = f"{local}@{DEMO_DOMAIN}"
        rows.append((email, str(Role(role).label), names[org], totp_secret(email)))
    # Accounts the modules' demos added (through demo_user), after the core ones.
    listed = {row[0] for row in rows}
    extra = (
        Membership.objects.filter(user__is_demo=True, user__email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
        .exclude(user__email__in=listed)
        .select_related("user", "organisation")
        .order_by("user_id", "pk")
    )
    for membership in extra:
        email = membership.user.email
        if email not in listed:
            listed.add(email)
            rows.append((email, str(Role(membership.role).label), membership.organisation.name, totp_secret(email)))
    return rows


@transaction.atomic
def load_demo() -> dict[str, int]:
    network, _ = Network.objects.get_or_create(slug="pomerania", defaults={"name": "Pomeranian Integration Network"})
    orgs: dict[str, Organisation] = {}
    for slug, name, kind, parent, city in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "parent": orgs.get(parent or ""), "city": city}
        )
        org.networks.add(network)
        orgs[slug] = org
    users: dict[str, User] = {}
    for local, given, family, role, org_slug, lang in STAFF:
        user = demo_user(local, given, family, lang)
        Membership.objects.get_or_create(user=user, organisation=orgs[org_slug], role=role)
        users[local] = user
    # The counsellor also volunteers at the NGO, to show work for several organisations.
    Membership.objects.get_or_create(
        user=users["counsellor"], organisation=orgs["migrant-rights"], role=Role.COUNSELLOR
    )
    Membership.objects.get_or_create(user=users["org-admin"], organisation=orgs["migrant-rights"], role=Role.ORG_ADMIN)
    Membership.objects.get_or_create(
        user=users["helpline"], organisation=orgs["career-centre"], role=Role.HELPLINE_OPERATOR
    )
    Membership.objects.get_or_create(
        user=users["counsellor"], organisation=orgs["ukrainian-house"], role=Role.COUNSELLOR
    )
    Membership.objects.get_or_create(user=users["counsellor"], organisation=orgs["labour-office"], role=Role.COUNSELLOR)
    people_created = 0
    if not Person.objects.filter(organisation__slug__in=HOLDERS).exists():
        people_created = _people(orgs, users)
    _client_account(orgs)
    return {"organisations": len(orgs), "accounts": len(users), "people_created": people_created}


CLIENT_EMAIL = f"client@{DEMO_DOMAIN}"


def _client_account(orgs: dict[str, Organisation]) -> None:
    """Olena, a client of the career centre, has her own sign-in: she reads her path in Ukrainian."""
    person = (
        Person.objects.filter(
            organisation=orgs["career-centre"], family_name_native="Ковальчук", given_name_native="Олена"
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = people_service.create_person(
            User.objects.get(email=f"counsellor@{DEMO_DOMAIN}"),
            orgs["career-centre"],
            {
                "given_name_native": "Олена",
                "family_name_native": "Ковальчук",
                "birth_date": date(1991, 3, 8),
                "citizenships": ["UA"],
                "residence_status": R.TEMPORARY_PROTECTION,
                "residence_expires": timezone.localdate() + timedelta(days=45),
                "preferred_language": "uk",
                "city": "Gdańsk",
                "education_level": ISCEDLevel.BACHELOR,
                "household_adults": 1,
                "household_children": 1,
                "youngest_child_birth_year": timezone.localdate().year - 3,
                "assigned_counsellor": User.objects.get(email=f"counsellor@{DEMO_DOMAIN}"),
            },
            confirm_new=True,
            languages=[("uk", CEFRLevel.NATIVE), ("ru", CEFRLevel.C1), ("pl", CEFRLevel.A2), ("en", CEFRLevel.B1)],
            channel=Channel.SYSTEM,
        )
        Qualification.objects.create(
            person=person, title="Bachelor of Nursing", country="UA", year=2013, isced_level=ISCEDLevel.BACHELOR
        )
        WorkExperience.objects.create(
            person=person,
            job_title="Nurse",
            employer="Kharkiv City Hospital No. 2",
            country="UA",
            start=date(2013, 9, 1),
            end=date(2022, 2, 20),
        )
    if person.account_id is None:
        account, created = User.objects.get_or_create(
            email=CLIENT_EMAIL,
            defaults={
                "username": "client",
                "first_name": "Олена",
                "last_name": "Ковальчук",
                "is_demo": True,
                "preferred_language": "uk",
            },
        )
        if created:
            account.set_password(DEMO_PASSWORD)
            account.save()
        Person.objects.filter(pk=person.pk).update(account=account)


def _people(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    rng = random.Random(SEED)
    counsellor, psychologist, legal = users["counsellor"], users["psychologist"], users["legal-adviser"]
    today = timezone.localdate()
    count = 0
    for index in range(PEOPLE):
        origin = rng.choices(ORIGINS, ORIGIN_WEIGHTS)[0]
        given_native, given = rng.choice(origin.given)
        family_native, family = rng.choice(origin.family)
        native_script = given_native != given or family_native != family
        holder = orgs[rng.choice(HOLDERS)]
        birth = date(rng.randint(1965, 2005), rng.randint(1, 12), rng.randint(1, 28))
        status = rng.choice(origin.statuses)
        values: dict[str, Any] = {
            "given_name": given,
            "family_name": family,
            "given_name_native": given_native if native_script else "",
            "family_name_native": family_native if native_script else "",
            "birth_date": birth,
            "sex": Sex.FEMALE if given.endswith(("a", "ia", "ya")) else Sex.MALE,
            "citizenships": [origin.country],
            "preferred_language": origin.language,
            "residence_status": status,
            "residence_expires": today + timedelta(days=rng.randint(-30, 720))
            if status not in (R.PERMANENT_RESIDENCE,)
            else None,
            "city": rng.choice(["Gdańsk", "Gdynia", "Sopot", "Rumia", "Reda", "Pruszcz Gdański", "Wejherowo"]),
            "phone": f"+48 5{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            "education_level": rng.choice(list(ISCEDLevel.values)[2:8]),
            "household_adults": rng.randint(1, 3),
            "household_children": rng.choice([0, 0, 1, 2, 3]),
        }
        if index % 7 == 0 and values["household_children"]:
            values["youngest_child_birth_year"] = today.year - rng.randint(0, 5)
        if holder.slug == "career-centre" and index % 2 == 0:
            values["assigned_counsellor"] = counsellor
        actor = counsellor
        languages = [
            (origin.language, CEFRLevel.NATIVE),
            ("pl", rng.choice([CEFRLevel.NONE, CEFRLevel.A1, CEFRLevel.A2, CEFRLevel.B1, CEFRLevel.B2])),
        ]
        if rng.random() < 0.4:
            languages.append(("en", rng.choice([CEFRLevel.A2, CEFRLevel.B1, CEFRLevel.B2, CEFRLevel.C1])))
        if origin.country in ("UA", "BY") and rng.random() < 0.7:
            languages.append(("ru", CEFRLevel.C1))
        person = people_service.create_person(actor, holder, values, languages=languages, confirm_new=True)
        count += 1
        job = rng.choice(JOBS)
        WorkExperience.objects.create(
            person=person,
            job_title=job,
            employer="",
            country=origin.country,
            start=date(birth.year + 20, 9, 1),
            end=date(today.year - rng.randint(1, 3), 2, 1),
        )
        if rng.random() < 0.5:
            Qualification.objects.create(
                person=person,
                title=f"Diploma: {job}",
                country=origin.country,
                year=birth.year + 21,
                isced_level=values["education_level"],
                recognition=rng.choice(RecognitionStatus.values),
            )
        if values["household_children"] and rng.random() < 0.5:
            people_service.add_need(
                actor, person, NeedKind.CHILDCARE, "Needs a kindergarten place near home.", channel=Channel.SYSTEM
            )
        if rng.random() < 0.08:
            people_service.add_need(
                actor,
                person,
                NeedKind.DISABILITY,
                "Uses a wheelchair; needs a step-free workplace.",
                channel=Channel.SYSTEM,
            )
        if holder.slug == "career-centre":
            people_service.add_note(
                actor,
                person,
                SensitiveGroup.GENERAL,
                f"First meeting: looking for work as {job.lower()}.",
                organisation=holder,
                channel=Channel.SYSTEM,
            )
            if rng.random() < 0.2:
                people_service.add_note(
                    psychologist,
                    person,
                    SensitiveGroup.PSYCHOLOGICAL,
                    "Signs of stress after displacement; weekly sessions agreed.",
                    organisation=holder,
                    channel=Channel.SYSTEM,
                )
            if rng.random() < 0.2:
                people_service.add_note(
                    legal,
                    person,
                    SensitiveGroup.LEGAL,
                    "Residence card application filed; waiting for the voivode's decision.",
                    organisation=holder,
                    channel=Channel.SYSTEM,
                )
            if rng.random() < 0.15:
                consent = consent_service.give_consent(
                    counsellor,
                    person,
                    recipients=[orgs["ukrainian-house"]],
                    purpose=ConsentPurpose.REFERRAL,
                    scope=[DataScope.IDENTITY, DataScope.CONTACT, DataScope.LANGUAGES],
                    evidence=f"Signed form no. {index}/2026",
                )
                consent_service.share_person(
                    counsellor, person, orgs["ukrainian-house"], purpose=consent.purpose, scope=[DataScope.IDENTITY]
                )
    # The same man written three ways, at two organisations: search-before-create finds him.
    people_service.create_person(
        counsellor,
        orgs["migrant-rights"],
        {
            "given_name": "Aleksander",
            "family_name": "Szewczenko",
            "birth_date": date(1988, 4, 12),
            "citizenships": ["UA"],
            "residence_status": R.TEMPORARY_PROTECTION,
            "preferred_language": "uk",
        },
        confirm_new=True,
    )
    people_service.create_person(
        counsellor,
        orgs["career-centre"],
        {
            "given_name_native": "Олександр",
            "family_name_native": "Шевченко",
            "birth_date": date(1988, 4, 12),
            "citizenships": ["UA"],
            "residence_status": R.TEMPORARY_PROTECTION,
            "preferred_language": "uk",
        },
        confirm_new=True,
    )
    # Written in Arabic only: "Youssef Alhomsi" or "Yusuf al-Homsi" typed in Latin finds him.
    people_service.create_person(
        counsellor,
        orgs["career-centre"],
        {
            "given_name_native": "يوسف",
            "family_name_native": "الحمصي",
            "birth_date": date(1994, 9, 2),
            "citizenships": ["SY"],
            "preferred_language": "ar",
        },
        confirm_new=True,
    )
    return count + 3
