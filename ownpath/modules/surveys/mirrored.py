"""The mirrored pair of questionnaires written for ownpath: migrants and employers asked the same things
from both sides — expectations, barriers and stereotypes about employing migrants — in English, Polish,
Ukrainian, Russian and Arabic. Questions with the same ``mirror`` key are compared side by side; both use
the same five-point scale and the same list of barriers, so the answers line up.

The texts are data, not interface strings: they are the questionnaire's own wording in each language, as an
XLSForm holds it, and ``services.from_template`` copies them into an ordinary survey that staff can change.
"""

from __future__ import annotations

from typing import Any

from ownpath.core.languages import INTERFACE_LANGUAGES, in_interface_languages

LANGUAGES = list(INTERFACE_LANGUAGES)
T = in_interface_languages  # reads like a table below


AGREE = [
    ("1", T("Strongly disagree", "Zdecydowanie się nie zgadzam", "Зовсім не згоден / не згодна",
            "Совершенно не согласен / не согласна", "لا أوافق بشدة")),
    ("2", T("Disagree", "Nie zgadzam się", "Не згоден / не згодна", "Не согласен / не согласна", "لا أوافق")),
    ("3", T("Neither agree nor disagree", "Ani się zgadzam, ani nie", "Ні так, ні ні", "Ни да, ни нет", "محايد")),
    ("4", T("Agree", "Zgadzam się", "Згоден / згодна", "Согласен / согласна", "أوافق")),
    ("5", T("Strongly agree", "Zdecydowanie się zgadzam", "Повністю згоден / згодна",
            "Полностью согласен / согласна", "أوافق بشدة")),
]  # fmt: skip
YES_NO = [
    ("yes", T("Yes", "Tak", "Так", "Да", "نعم")),
    ("no", T("No", "Nie", "Ні", "Нет", "لا")),
]
BARRIERS = [
    ("language", T("Language", "Język", "Мова", "Язык", "اللغة")),
    ("paperwork", T("Legal paperwork and permits", "Formalności i zezwolenia", "Документи та дозволи",
                    "Документы и разрешения", "الأوراق الرسمية والتصاريح")),
    ("qualifications", T("Recognition of qualifications", "Uznawanie kwalifikacji", "Визнання кваліфікацій",
                         "Признание квалификаций", "الاعتراف بالمؤهلات")),
    ("information", T("Not knowing where to look", "Brak informacji, gdzie szukać", "Не знаю, де шукати",
                      "Не знаю, где искать", "عدم معرفة أين أبحث")),
    ("prejudice", T("Prejudice", "Uprzedzenia", "Упередження", "Предубеждения", "الأحكام المسبقة")),
    ("housing", T("Housing and transport", "Mieszkanie i dojazd", "Житло та дорога", "Жильё и дорога",
                  "السكن والمواصلات")),
    ("other", T("Something else", "Coś innego", "Інше", "Другое", "شيء آخر")),
]  # fmt: skip


def _q(name: str, kind: str, label: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "labels": label, **extra}


MIGRANTS: dict[str, Any] = {
    "form_id": "expectations-migrants",
    "audience": "migrants",
    "titles": T(
        "Work in a new country: your experience",
        "Praca w nowym kraju: Twoje doświadczenia",
        "Робота в новій країні: ваш досвід",
        "Работа в новой стране: ваш опыт",
        "العمل في بلد جديد: تجربتك",
    ),
    "questions": [
        _q(
            "years_here",
            "select_one",
            T(
                "How long have you lived in this country?",
                "Jak długo mieszkasz w tym kraju?",
                "Як довго ви живете в цій країні?",
                "Как долго вы живёте в этой стране?",
                "منذ متى تعيش في هذا البلد؟",
            ),
            choices=[
                ("lt1", T("Less than a year", "Krócej niż rok", "Менше року", "Меньше года", "أقل من سنة")),
                (
                    "1to3",
                    T("1 to 3 years", "Od roku do 3 lat", "Від 1 до 3 років", "От 1 до 3 лет", "من سنة إلى 3 سنوات"),
                ),
                ("gt3", T("More than 3 years", "Dłużej niż 3 lata", "Понад 3 роки", "Больше 3 лет", "أكثر من 3 سنوات")),
            ],
            required=True,
            is_attribute=True,
            group="you",
        ),
        _q(
            "working",
            "select_one",
            T(
                "Are you working now?",
                "Czy teraz pracujesz?",
                "Чи працюєте ви зараз?",
                "Вы сейчас работаете?",
                "هل تعمل الآن؟",
            ),
            choices=YES_NO,
            required=True,
            is_attribute=True,
            group="you",
        ),
        _q(
            "job_level",
            "select_one",
            T(
                "Does your job match your qualifications?",
                "Czy Twoja praca odpowiada Twoim kwalifikacjom?",
                "Чи відповідає ваша робота вашій кваліфікації?",
                "Соответствует ли ваша работа вашей квалификации?",
                "هل يناسب عملك مؤهلاتك؟",
            ),
            choices=[
                ("match", T("Yes", "Tak", "Так", "Да", "نعم")),
                ("below", T("No, it is below them", "Nie, jest poniżej", "Ні, нижча", "Нет, ниже", "لا، أقل منها")),
                ("unsure", T("I am not sure", "Nie wiem", "Не знаю", "Не знаю", "لست متأكداً")),
            ],
            relevant="${working} = 'yes'",
            group="you",
        ),
        _q(
            "s_language",
            "scale",
            T(
                "Employers expect better language skills than the job needs.",
                "Pracodawcy oczekują lepszej znajomości języka, niż wymaga praca.",
                "Роботодавці очікують кращого знання мови, ніж потрібно для роботи.",
                "Работодатели ожидают лучшего знания языка, чем нужно для работы.",
                "يتوقع أصحاب العمل مستوى لغة أعلى مما يحتاجه العمل.",
            ),
            choices=AGREE,
            mirror="language",
            group="views",
        ),
        _q(
            "s_paperwork",
            "scale",
            T(
                "The paperwork to work legally is too complicated.",
                "Formalności związane z legalną pracą są zbyt skomplikowane.",
                "Документи для легальної роботи надто складні.",
                "Документы для легальной работы слишком сложные.",
                "الأوراق المطلوبة للعمل القانوني معقدة جداً.",
            ),
            choices=AGREE,
            mirror="paperwork",
            group="views",
        ),
        _q(
            "s_qualifications",
            "scale",
            T(
                "Employers do not value qualifications gained abroad.",
                "Pracodawcy nie doceniają kwalifikacji zdobytych za granicą.",
                "Роботодавці не цінують кваліфікацію, здобуту за кордоном.",
                "Работодатели не ценят квалификацию, полученную за границей.",
                "لا يقدّر أصحاب العمل المؤهلات المكتسبة في الخارج.",
            ),
            choices=AGREE,
            mirror="qualifications",
            group="views",
        ),
        _q(
            "s_reliable",
            "scale",
            T(
                "Employers see migrants as less reliable workers.",
                "Pracodawcy uważają migrantów za mniej rzetelnych pracowników.",
                "Роботодавці вважають мігрантів менш надійними працівниками.",
                "Работодатели считают мигрантов менее надёжными работниками.",
                "يرى أصحاب العمل أن المهاجرين عمال أقل موثوقية.",
            ),
            choices=AGREE,
            mirror="reliability",
            group="views",
        ),
        _q(
            "s_wages",
            "scale",
            T(
                "Migrants are paid less than local workers for the same work.",
                "Migranci zarabiają mniej niż miejscowi za tę samą pracę.",
                "Мігранти отримують менше, ніж місцеві, за ту саму роботу.",
                "Мигранты получают меньше местных за ту же работу.",
                "يتقاضى المهاجرون أجراً أقل من العمال المحليين مقابل العمل نفسه.",
            ),
            choices=AGREE,
            mirror="wages",
            group="views",
        ),
        _q(
            "s_stay",
            "scale",
            T(
                "I want to stay and build my working life here.",
                "Chcę zostać i budować tu swoje życie zawodowe.",
                "Я хочу залишитися і будувати тут свою кар'єру.",
                "Я хочу остаться и строить здесь свою карьеру.",
                "أريد أن أبقى وأبني حياتي المهنية هنا.",
            ),
            choices=AGREE,
            mirror="staying",
            group="views",
        ),
        _q(
            "barriers",
            "select_multiple",
            T(
                "What makes finding work hardest for you?",
                "Co najbardziej utrudnia Ci znalezienie pracy?",
                "Що найбільше заважає вам знайти роботу?",
                "Что больше всего мешает вам найти работу?",
                "ما أكثر ما يصعّب عليك إيجاد عمل؟",
            ),
            choices=BARRIERS,
            mirror="barriers",
            required=True,
            group="barriers",
        ),
        _q(
            "help",
            "text",
            T(
                "What would help you most?",
                "Co najbardziej by Ci pomogło?",
                "Що допомогло б вам найбільше?",
                "Что помогло бы вам больше всего?",
                "ما الذي سيساعدك أكثر؟",
            ),
            group="barriers",
        ),
    ],
}

EMPLOYERS: dict[str, Any] = {
    "form_id": "expectations-employers",
    "audience": "employers",
    "titles": T(
        "Employing migrants: your experience",
        "Zatrudnianie migrantów: Państwa doświadczenia",
        "Працевлаштування мігрантів: ваш досвід",
        "Трудоустройство мигрантов: ваш опыт",
        "توظيف المهاجرين: تجربتكم",
    ),
    "questions": [
        _q(
            "size",
            "select_one",
            T(
                "How many people work in your organisation?",
                "Ile osób pracuje w Państwa firmie?",
                "Скільки людей працює у вашій організації?",
                "Сколько человек работает в вашей организации?",
                "كم عدد العاملين في مؤسستكم؟",
            ),
            choices=[
                ("micro", T("1–9", "1–9", "1–9", "1–9", "1–9")),
                ("small", T("10–49", "10–49", "10–49", "10–49", "10–49")),
                ("medium", T("50–249", "50–249", "50–249", "50–249", "50–249")),
                ("large", T("250 or more", "250 i więcej", "250 і більше", "250 и более", "250 أو أكثر")),
            ],
            required=True,
            is_attribute=True,
            group="you",
        ),
        _q(
            "employs",
            "select_one",
            T(
                "Do you employ migrants now?",
                "Czy zatrudniają Państwo obecnie migrantów?",
                "Чи працюють у вас зараз мігранти?",
                "Работают ли у вас сейчас мигранты?",
                "هل توظفون مهاجرين حالياً؟",
            ),
            choices=YES_NO,
            required=True,
            is_attribute=True,
            group="you",
        ),
        _q(
            "migrant_staff",
            "integer",
            T(
                "How many migrants work for you?",
                "Ilu migrantów u Państwa pracuje?",
                "Скільки мігрантів у вас працює?",
                "Сколько мигрантов у вас работает?",
                "كم مهاجراً يعمل لديكم؟",
            ),
            relevant="${employs} = 'yes'",
            constraint=". >= 1 and . <= 100000",
            constraint_messages=T(
                "Enter a number from 1 to 100,000.",
                "Podaj liczbę od 1 do 100 000.",
                "Введіть число від 1 до 100 000.",
                "Введите число от 1 до 100 000.",
                "أدخل رقماً من 1 إلى 100000.",
            ),
            group="you",
        ),
        _q(
            "s_language",
            "scale",
            T(
                "Candidates' language skills are the main obstacle to hiring migrants.",
                "Znajomość języka przez kandydatów to główna przeszkoda w zatrudnianiu migrantów.",
                "Знання мови кандидатами — головна перешкода для найму мігрантів.",
                "Знание языка кандидатами — главное препятствие для найма мигрантов.",
                "المهارات اللغوية للمرشحين هي العائق الرئيسي أمام توظيف المهاجرين.",
            ),
            choices=AGREE,
            mirror="language",
            group="views",
        ),
        _q(
            "s_paperwork",
            "scale",
            T(
                "The paperwork to employ a foreigner legally is too complicated.",
                "Formalności związane z legalnym zatrudnieniem cudzoziemca są zbyt skomplikowane.",
                "Документи для легального найму іноземця надто складні.",
                "Документы для легального найма иностранца слишком сложные.",
                "الأوراق المطلوبة لتوظيف أجنبي بشكل قانوني معقدة جداً.",
            ),
            choices=AGREE,
            mirror="paperwork",
            group="views",
        ),
        _q(
            "s_qualifications",
            "scale",
            T(
                "It is hard to judge qualifications gained abroad.",
                "Trudno ocenić kwalifikacje zdobyte za granicą.",
                "Важко оцінити кваліфікацію, здобуту за кордоном.",
                "Трудно оценить квалификацию, полученную за границей.",
                "من الصعب تقييم المؤهلات المكتسبة في الخارج.",
            ),
            choices=AGREE,
            mirror="qualifications",
            group="views",
        ),
        _q(
            "s_reliable",
            "scale",
            T(
                "Migrant workers are less reliable than local workers.",
                "Pracownicy z zagranicy są mniej rzetelni niż miejscowi.",
                "Працівники-мігранти менш надійні, ніж місцеві.",
                "Работники-мигранты менее надёжны, чем местные.",
                "العمال المهاجرون أقل موثوقية من العمال المحليين.",
            ),
            choices=AGREE,
            mirror="reliability",
            group="views",
        ),
        _q(
            "s_wages",
            "scale",
            T(
                "Migrants accept lower wages than local workers.",
                "Migranci godzą się na niższe wynagrodzenie niż miejscowi.",
                "Мігранти погоджуються на нижчу зарплату, ніж місцеві.",
                "Мигранты соглашаются на более низкую зарплату, чем местные.",
                "يقبل المهاجرون أجوراً أقل من العمال المحليين.",
            ),
            choices=AGREE,
            mirror="wages",
            group="views",
        ),
        _q(
            "s_stay",
            "scale",
            T(
                "Migrant workers stay with us for the long term.",
                "Pracownicy z zagranicy zostają u nas na dłużej.",
                "Працівники-мігранти залишаються у нас надовго.",
                "Работники-мигранты остаются у нас надолго.",
                "يبقى العمال المهاجرون لدينا لفترة طويلة.",
            ),
            choices=AGREE,
            mirror="staying",
            group="views",
        ),
        _q(
            "barriers",
            "select_multiple",
            T(
                "What makes employing migrants hardest for you?",
                "Co najbardziej utrudnia Państwu zatrudnianie migrantów?",
                "Що найбільше заважає вам наймати мігрантів?",
                "Что больше всего мешает вам нанимать мигрантов?",
                "ما أكثر ما يصعّب عليكم توظيف المهاجرين؟",
            ),
            choices=BARRIERS,
            mirror="barriers",
            required=True,
            group="barriers",
        ),
        _q(
            "help",
            "text",
            T(
                "What support would help you most?",
                "Jakie wsparcie najbardziej by Państwu pomogło?",
                "Яка підтримка допомогла б вам найбільше?",
                "Какая поддержка помогла бы вам больше всего?",
                "ما الدعم الذي سيساعدكم أكثر؟",
            ),
            group="barriers",
        ),
    ],
}

TEMPLATES = {"expectations": (MIGRANTS, EMPLOYERS)}
