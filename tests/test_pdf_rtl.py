"""Arabic PDFs read back as text: dates, numbers and phone numbers keep their order, labels are Arabic only.

pypdf gives each line in visual order (left to right, an Arabic word as it is spelled), so a phone number
that a right-to-left paragraph reordered reads "300 200 600 48+", and a date range shows the end date to the
right of the start date."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation
from pypdf import PdfReader

from ownpath.core.choices import CEFRLevel
from ownpath.core.models import PersonLanguage, WorkExperience
from tests.conftest import World

PHONE = "+48 600 200 300"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_arabic_certificate_keeps_its_dates_in_order() -> None:
    from ownpath.modules.training.models import Certificate
    from ownpath.modules.training.services import certificate_pdf

    certificate = Certificate(
        code="AB12-CD34-EF56",
        holder="فاطمة إبراهيم",
        curriculum_title="اللغة البولندية للعمل",
        course_title="دورة مسائية",
        issuer="مكتبة روميا العامة",
        hours=Decimal("24"),
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 11, 27),
        language="ar",
        issued_at=datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw")),
    )
    text = _text(certificate_pdf(certificate, "https://ownpath.example.org/v/AB12"))
    for written in ("02/03/2026", "27/11/2026", "03/12/2026"):
        assert written in text, f"{written} not in order in {text!r}"
    assert "2026/03/02" not in text and "2026/11/27" not in text
    # Right to left the range starts on the right: the end date stands left of the start date.
    line = next(line for line in text.splitlines() if "02/03/2026" in line)
    assert line.index("27/11/2026") < line.index("02/03/2026"), line
    assert "AB12-CD34-EF56" in text
    assert "Certificate" not in text and "hours" not in text and "Verification code" not in text


def test_an_arabic_cv_keeps_the_phone_number_in_order_and_speaks_only_arabic(world: World) -> None:
    from ownpath.modules.booking.services import render_cv_pdf

    person = world.person
    person.phone = PHONE
    person.email = "olena@example.org"
    person.save()
    PersonLanguage.objects.filter(person=person).delete()
    PersonLanguage.objects.create(person=person, language="uk", level=CEFRLevel.NATIVE)
    WorkExperience.objects.create(person=person, job_title="Nurse", employer="Szpital", start=date(2019, 1, 1))
    with translation.override("ar"):
        text = _text(render_cv_pdf(person))
    assert PHONE in text, f"the phone number was reordered: {text!r}"
    assert "300 200 600" not in text
    assert "olena@example.org" in text
    assert "Languages" not in text and "Work experience" not in text
    assert "uk:" not in text and "native" not in text.lower()  # the language's name and level, in Arabic
    assert "الأوكرانية" in text


def test_the_matching_cv_is_wholly_in_the_documents_language(world: World) -> None:
    from django.urls import reverse

    from tests.conftest import signed_in

    person = world.person
    person.phone = PHONE
    person.save()
    PersonLanguage.objects.filter(person=person).delete()
    PersonLanguage.objects.create(person=person, language="pl", level=CEFRLevel.B2)
    WorkExperience.objects.create(
        person=person, job_title="Nurse", employer="Szpital", start=date(2019, 1, 1), end=date(2021, 6, 30)
    )
    client = signed_in(world.users["counsellor"])
    client.cookies["django_language"] = "pl"  # the reader's page is Polish; the document is Arabic
    response = client.get(reverse("matching:cv_pdf", args=[person.pk]), {"lang": "ar"})
    assert response.status_code == 200
    text = _text(response.content)
    assert PHONE in text
    assert "polski" not in text and "Polish" not in text and "البولندية" in text
    assert "01/01/2019" in text and "30/06/2021" in text
    line = next(line for line in text.splitlines() if "01/01/2019" in line)
    assert line.index("30/06/2021") < line.index("01/01/2019"), line
