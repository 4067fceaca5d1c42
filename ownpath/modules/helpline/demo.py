"""Demo data of the helpline: the Foundation for Migrant Rights runs a line in Ukrainian, Russian, Arabic,
Tigrinya, Polish and English, with operators on shifts, an interpreter and the psychologist on duty; a
knowledge base in several languages; a month of contacts for the statistics (a returning caller, a crisis,
a hand-over to the career centre waiting for an answer); callbacks; a chat waiting and one in progress."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ownpath.core.choices import CEFRLevel, Role
from ownpath.core.demo import demo_user
from ownpath.core.models import Membership, Organisation, User
from ownpath.modules.helpline import services
from ownpath.modules.helpline.choices import ArticleStatus, ContactChannel, Outcome, Risk, ShiftRole, Urgency
from ownpath.modules.helpline.models import (
    Callback,
    Chat,
    ChatMessage,
    Contact,
    OpeningHours,
    OperatorLanguage,
    OperatorProfile,
    OutOfHoursMessage,
    Shift,
    Topic,
)

C = CEFRLevel
TEAM = [
    # local part, given, family, role, languages, interprets
    (
        "helpline",
        "Iryna",
        "Petrenko",
        Role.HELPLINE_OPERATOR,
        [("uk", C.NATIVE), ("ru", C.C2), ("pl", C.C1), ("en", C.B2)],
        False,
    ),
    ("helpline-lead", "Magdalena", "Krawczyk", Role.ORG_ADMIN, [("pl", C.NATIVE), ("en", C.C1), ("ru", C.B1)], False),
    ("helpline-ar", "Omar", "Khalil", Role.HELPLINE_OPERATOR, [("ar", C.NATIVE), ("pl", C.B2), ("en", C.C1)], False),
    ("helpline-ti", "Senait", "Tesfay", Role.CULTURAL_MEDIATOR, [("ti", C.NATIVE), ("am", C.C1), ("en", C.B2)], True),
    ("psychologist", "Marta", "Wiśniewska", Role.PSYCHOLOGIST, [("pl", C.NATIVE), ("en", C.C1), ("uk", C.B1)], False),
]

MESSAGES = {
    "en": "The helpline is closed now. We answer every day from 7:00 to 23:00. In danger, call 112. "
    "You can ask us to call you back.",
    "pl": "Infolinia jest teraz zamknięta. Odbieramy codziennie od 7:00 do 23:00. W niebezpieczeństwie "
    "dzwoń pod 112. Możesz poprosić o oddzwonienie.",
    "uk": "Гаряча лінія зараз зачинена. Ми відповідаємо щодня з 7:00 до 23:00. У небезпеці телефонуйте 112. "
    "Ви можете попросити, щоб ми вам передзвонили.",
    "ru": "Горячая линия сейчас закрыта. Мы отвечаем ежедневно с 7:00 до 23:00. В опасности звоните 112. "
    "Вы можете попросить, чтобы мы вам перезвонили.",
    "ar": "الخط الساخن مغلق الآن. نجيب كل يوم من الساعة 7:00 إلى 23:00. في حالة الخطر اتصل بالرقم 112. "
    "يمكنك أن تطلب منا معاودة الاتصال بك.",
    "ti": "እቲ መስመር ሕጂ ዕጹው እዩ። ካብ 7:00 ክሳብ 23:00 መዓልታዊ ንምልሽ። ኣብ ሓደጋ 112 ደውሉ።",
}

ARTICLES = [
    # key, topics, keywords, {language: (title, body)}
    (
        "wages",
        ["unpaid_wages", "contract"],
        "salary pay employer owes money labour inspection",
        {
            "en": (
                "Unpaid wages: what you can do",
                "Write down the hours you worked and keep every message from the employer. Ask for the money in "
                "writing and give a date. If the employer does not pay, the National Labour Inspectorate (PIP) "
                "takes complaints free of charge, also in other languages, and you can go to the labour court "
                "without a lawyer. Free legal advice helps you write the letter.",
            ),
            "uk": (
                "Невиплачена зарплата: що можна зробити",
                "Запишіть години, які ви відпрацювали, і зберігайте всі повідомлення від роботодавця. Вимагайте "
                "гроші письмово і вкажіть термін. Якщо роботодавець не платить, Державна інспекція праці (PIP) "
                "безкоштовно приймає скарги, також іншими мовами, а до суду з трудових справ можна звернутися без "
                "адвоката. Безкоштовна юридична консультація допоможе написати лист.",
            ),
            "pl": (
                "Niewypłacone wynagrodzenie: co możesz zrobić",
                "Zapisuj przepracowane godziny i zachowaj każdą wiadomość od pracodawcy. Zażądaj pieniędzy na "
                "piśmie z terminem zapłaty. Jeśli pracodawca nie płaci, Państwowa Inspekcja Pracy przyjmuje skargi "
                "bezpłatnie, a do sądu pracy można iść bez adwokata.",
            ),
            "ar": (
                "الأجور غير المدفوعة: ماذا يمكنك أن تفعل",
                "سجّل ساعات العمل واحتفظ بكل رسالة من صاحب العمل. اطلب المال كتابيًا وحدد موعدًا. إذا لم يدفع صاحب "
                "العمل، تقبل مفتشية العمل الوطنية الشكاوى مجانًا، ويمكنك اللجوء إلى محكمة العمل دون محامٍ.",
            ),
        },
    ),
    (
        "permit",
        ["work_permit"],
        "permit type A declaration employer statement voivode",
        {
            "en": (
                "Which permission do I need to work?",
                "Citizens of the EU do not need a permit. Ukrainians with temporary protection only need the "
                "employer to notify the labour office within 14 days. Citizens of Armenia, Belarus, Georgia, "
                "Moldova and Ukraine can work on an employer's declaration. Others usually need a type A work "
                "permit from the voivode, applied for by the employer, or a single permit for residence and work.",
            ),
            "uk": (
                "Який дозвіл потрібен, щоб працювати?",
                "Громадянам ЄС дозвіл не потрібен. Українцям з тимчасовим захистом достатньо, щоб роботодавець "
                "повідомив центр зайнятості протягом 14 днів. Інші зазвичай потребують дозволу на роботу типу A "
                "від воєводи, про який клопочеться роботодавець.",
            ),
            "ru": (
                "Какое разрешение нужно, чтобы работать?",
                "Гражданам ЕС разрешение не нужно. Украинцам с временной защитой достаточно уведомления "
                "работодателя в бюро труда в течение 14 дней. Другим обычно нужно разрешение на работу типа A.",
            ),
        },
    ),
    (
        "protection",
        ["residence", "work_permit"],
        "temporary protection PESEL UKR status Ukraine",
        {
            "en": (
                "Temporary protection and work",
                "With temporary protection and a PESEL number with the UKR status you may work in any job. The "
                "employer must notify the labour office within 14 days of the start. Keep your status active: "
                "leaving the country for more than 30 days ends it.",
            ),
            "uk": (
                "Тимчасовий захист і робота",
                "З тимчасовим захистом і номером PESEL зі статусом UKR ви можете працювати на будь-якій роботі. "
                "Роботодавець має повідомити центр зайнятості протягом 14 днів від початку роботи. Виїзд з країни "
                "більш ніж на 30 днів припиняє статус.",
            ),
        },
    ),
    (
        "recognition",
        ["recognition"],
        "diploma nostrification NAWA qualifications",
        {
            "en": (
                "Getting a diploma recognised",
                "Higher-education diplomas are recognised by universities (nostrification) or, for some "
                "countries, confirmed by NAWA. Regulated professions such as nurse or doctor have their own "
                "procedure. Bring the diploma, its supplement and a sworn translation.",
            ),
            "ar": (
                "الاعتراف بالشهادة",
                "تعترف الجامعات بشهادات التعليم العالي (المعادلة)، أو تؤكدها الوكالة الوطنية للتبادل الأكاديمي لبعض الدول. "
                "للمهن المنظمة مثل التمريض أو الطب إجراء خاص. أحضر الشهادة وملحقها وترجمة محلفة.",
            ),
        },
    ),
    (
        "courses",
        ["language_courses"],
        "Polish course free library lessons",
        {
            "en": (
                "Free Polish courses",
                "Public libraries and NGOs run free Polish courses for adults, in the evenings and online. The "
                "directory lists the courses near you with their level and hours.",
            ),
            "uk": (
                "Безкоштовні курси польської мови",
                "Публічні бібліотеки та громадські організації проводять безкоштовні курси польської для "
                "дорослих, увечері та онлайн.",
            ),
            "pl": (
                "Bezpłatne kursy języka polskiego",
                "Biblioteki publiczne i organizacje pozarządowe prowadzą bezpłatne kursy polskiego dla dorosłych.",
            ),
        },
    ),
    (
        "crisis",
        ["psychological_crisis"],
        "emergency 112 suicide support psychologist",
        {
            "en": (
                "In crisis: numbers that answer now",
                "In danger call 112. The Centre for Psychological Support answers 800 70 2222 around the clock. "
                "Stay with the caller, speak calmly, ask whether they are safe, and bring in the psychologist on duty.",
            ),
            "uk": (
                "У кризі: номери, які відповідають зараз",
                "У небезпеці телефонуйте 112. Центр психологічної підтримки відповідає цілодобово за номером "
                "800 70 2222.",
            ),
        },
    ),
    (
        "discrimination",
        ["discrimination"],
        "equal treatment complaint ombudsman",
        {
            "en": (
                "Discrimination at work: where to turn",
                "Unequal pay or treatment because of origin, religion or language is forbidden. Note what "
                "happened and who saw it. The Commissioner for Human Rights and the labour inspectorate take "
                "complaints; a court can award compensation.",
            ),
        },
    ),
]


def load() -> str:
    helpline = Organisation.objects.filter(slug="migrant-rights").first()
    if helpline is None:
        return "Helpline demo: the core demo network is missing."
    if OpeningHours.objects.filter(organisation=helpline).exists():
        return "Helpline demo: already loaded."
    with transaction.atomic():
        counts = _load(helpline)
    return "Helpline demo: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."


def _team(helpline: Organisation) -> dict[str, User]:
    team = {}
    for local, given, family, role, languages, interprets in TEAM:
        interface = languages[0][0] if languages[0][0] in {"en", "pl", "uk", "ru", "ar"} else "en"
        user = demo_user(local, given, family, interface)
        Membership.objects.get_or_create(user=user, organisation=helpline, role=role)
        profile, _created = OperatorProfile.objects.update_or_create(
            user=user, defaults={"organisation": helpline, "is_interpreter": interprets}
        )
        profile.languages.all().delete()
        OperatorLanguage.objects.bulk_create(
            [OperatorLanguage(profile=profile, language=code, level=level) for code, level in languages]
        )
        team[local] = user
    return team


def _load(helpline: Organisation) -> dict[str, int]:
    rng = random.Random(2028)
    services.ensure_topics()
    team = _team(helpline)
    OpeningHours.objects.bulk_create(
        [OpeningHours(organisation=helpline, weekday=d, opens=time(7), closes=time(23)) for d in range(7)]
    )
    for language, text in MESSAGES.items():
        OutOfHoursMessage.objects.create(organisation=helpline, language=language, text=text)
    today = timezone.localdate()
    shifts = []
    for offset in range(-30, 15):
        day = today + timedelta(days=offset)
        early = timezone.make_aware(datetime.combine(day, time(7)))
        late = timezone.make_aware(datetime.combine(day, time(15)))
        end = timezone.make_aware(datetime.combine(day, time(23)))
        for local, start, stop, role in (
            ("helpline", early, late, ShiftRole.OPERATOR),
            ("helpline-ar", early, late, ShiftRole.OPERATOR),
            ("helpline-lead", early, late, ShiftRole.SUPERVISOR),
            ("helpline", late, end, ShiftRole.OPERATOR)
            if offset % 2
            else ("helpline-ar", late, end, ShiftRole.OPERATOR),
            ("helpline-ti", early, end, ShiftRole.INTERPRETER),
            ("psychologist", late, end, ShiftRole.PSYCHOLOGIST),
        ):
            shifts.append(Shift(organisation=helpline, user=team[local], role=role, starts_at=start, ends_at=stop))
    Shift.objects.bulk_create(shifts)

    topics = {t.code: t for t in Topic.objects.all()}
    lead = team["helpline-lead"]
    for _key, topic_codes, keywords, texts in ARTICLES:
        (language, (title, body)), *others = texts.items()
        article = services.save_article(
            lead,
            helpline,
            title=title,
            body=body,
            language=language,
            keywords=keywords,
            topics=[topics[c] for c in topic_codes if c in topics],
            status=ArticleStatus.PUBLISHED,
        )
        for other, (title, body) in others:
            services.translate_article(lead, article, other, title=title, body=body)

    # A month of contacts, for the statistics and the returning-caller banner.
    weights = {"uk": 45, "ru": 15, "ar": 15, "ti": 6, "pl": 8, "en": 6, "ka": 5}
    topic_weights = {
        "work_permit": 20,
        "residence": 14,
        "unpaid_wages": 12,
        "contract": 10,
        "housing": 8,
        "language_courses": 8,
        "recognition": 6,
        "discrimination": 4,
        "health": 5,
        "family": 4,
        "psychological_crisis": 3,
        "other": 6,
    }
    operators = {
        "uk": "helpline",
        "ru": "helpline",
        "pl": "helpline-lead",
        "en": "helpline-lead",
        "ar": "helpline-ar",
        "ti": "helpline-ti",
        "ka": "helpline",
    }
    returning = services.caller_key("+48 600 100 200")
    now = timezone.now()
    contacts = []
    for i in range(160):
        language = rng.choices(list(weights), list(weights.values()))[0]
        day = timezone.localdate() - timedelta(days=rng.randint(0, 29))
        start = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59))))
        if start > now - timedelta(hours=1):
            start -= timedelta(days=1)
        codes = rng.sample(list(topic_weights), k=rng.choice([1, 1, 2]))
        crisis = "psychological_crisis" in codes
        contact = Contact.objects.create(
            organisation=helpline,
            channel=rng.choices(
                [
                    ContactChannel.PHONE,
                    ContactChannel.WEB_CHAT,
                    ContactChannel.MESSENGER,
                    ContactChannel.EMAIL,
                    ContactChannel.IN_PERSON,
                ],
                [60, 20, 12, 6, 2],
            )[0],
            language=language,
            started_at=start,
            ended_at=start + timedelta(minutes=rng.randint(4, 35)),
            operator=team[operators[language]],
            urgency=Urgency.URGENT if crisis else rng.choice([Urgency.ROUTINE, Urgency.ROUTINE, Urgency.SOON]),
            risk=Risk.CRISIS if crisis else Risk.NONE,
            outcome=Outcome.CRISIS_SUPPORT
            if crisis
            else rng.choices(
                [Outcome.INFORMATION, Outcome.SERVICE, Outcome.CALLBACK, Outcome.INTERRUPTED], [55, 30, 10, 5]
            )[0],
            caller_key=returning if i % 40 == 0 else "",
            crisis_opened_at=start if crisis else None,
            crisis_checklist=[
                {"item": k, "at": start.isoformat(), "by": team[operators[language]].pk}
                for k in ("safety", "emergency", "psychologist")
            ]
            if crisis
            else [],
            created_by=team[operators[language]],
        )
        contact.topics.set([topics[c] for c in codes])
        contacts.append(contact)

    # Today's Ukrainian call about unpaid wages, handed over to the career centre with consent.
    iryna = team["helpline"]
    call = services.save_contact(
        iryna,
        helpline,
        {
            "channel": ContactChannel.PHONE,
            "language": "uk",
            "started_at": now - timedelta(minutes=50),
            "ended_at": now - timedelta(minutes=32),
            "topics": [topics["unpaid_wages"], topics["contract"]],
            "urgency": Urgency.SOON,
            "risk": Risk.NONE,
            "information": "Explained how to claim wages in writing and the labour inspectorate.",
            "notes": "Warehouse in Pruszcz, two months unpaid; contract was only oral.",
        },
        caller_number="+48 600 100 200",
    )
    centre = Organisation.objects.filter(slug="career-centre").first()
    if centre is not None:
        services.hand_over(
            iryna,
            call,
            to_organisation=centre,
            consent_given=True,
            consent_statement="The caller agreed aloud that the helpline passes her name, phone number and the "
            "reason for calling to the Intercultural Career Counselling Centre.",
            name="Олена Коваль (Olena Koval)",
            phone="+48 600 100 200",
            best_time="weekdays after 17:00",
            summary="Two months of unpaid wages at a warehouse; oral contract only; wants to find legal work.",
        )

    for hours_ahead, language, topic in (
        (-2, "ar", "Work permit for a new job"),
        (3, "ti", "Residence card"),
        (20, "uk", "Recognition of a nursing diploma"),
    ):
        services.request_callback(
            lead,
            helpline,
            language=language,
            due_at=now + timedelta(hours=hours_ahead) if hours_ahead > 0 else now,
            phone=f"+48 600 200 3{rng.randint(10, 99)}",
            topic=topic,
        )
    Callback.objects.filter(organisation=helpline, language="ar").update(due_at=now - timedelta(hours=2))

    waiting = Chat.objects.create(organisation=helpline, language="ar", token_hash=services.token_hash("demo-waiting"))
    ChatMessage.objects.create(
        chat=waiting, sender=ChatMessage.Sender.CALLER, text="مرحبا، صاحب العمل لم يدفع راتبي منذ شهرين. ماذا أفعل؟"
    )
    active = Chat.objects.create(organisation=helpline, language="uk", token_hash=services.token_hash("demo-active"))
    services.pick_up_chat(iryna, active)
    ChatMessage.objects.create(
        chat=active,
        sender=ChatMessage.Sender.CALLER,
        text="Добрий день! Чи можу я працювати з тимчасовим захистом без дозволу?",
    )
    ChatMessage.objects.create(
        chat=active,
        sender=ChatMessage.Sender.OPERATOR,
        author=iryna,
        text="Так. Роботодавець лише повідомляє центр зайнятості протягом 14 днів.",
    )
    return {
        "operators": len(team),
        "knowledge-base articles": len(ARTICLES),
        "contacts": len(contacts) + 1,
        "callbacks": 3,
        "chats": 2,
    }
