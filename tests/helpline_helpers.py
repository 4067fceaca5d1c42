"""A helpline for tests: the NGO of the test world runs it around the clock with a Ukrainian-speaking
operator on shift, a supervisor and a Tigrinya interpreter; one published article about unpaid wages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from ownpath.core.choices import Role
from ownpath.core.models import Organisation, User
from ownpath.modules.helpline import services
from ownpath.modules.helpline.models import Article, OpeningHours, Shift, Topic
from tests.conftest import World
from tests.factories import staff


@dataclass
class Line:
    org: Organisation
    operator: User
    supervisor: User
    interpreter: User
    article: Article


def topic(code: str) -> Topic:
    return Topic.objects.get(code=code)


def make_line(world: World) -> Line:
    services.ensure_topics()  # transactional tests flush the rows the data migration made
    org = world.ngo
    operator = staff(Role.HELPLINE_OPERATOR, org, first_name="Iryna")
    supervisor = staff(Role.ORG_ADMIN, org, first_name="Magda")
    interpreter = staff(Role.CULTURAL_MEDIATOR, org, first_name="Senait")
    OpeningHours.objects.bulk_create(
        [OpeningHours(organisation=org, weekday=d, opens=time(0), closes=time(23, 59, 59)) for d in range(7)]
    )
    now = timezone.now()
    services.set_operator_profile(operator, operator, org, languages=[("uk", "native"), ("pl", "C1")])
    services.set_operator_profile(
        interpreter, interpreter, org, languages=[("ti", "native"), ("en", "B2")], is_interpreter=True
    )
    for user, role in ((operator, "operator"), (interpreter, "interpreter"), (supervisor, "supervisor")):
        Shift.objects.create(
            organisation=org, user=user, role=role, starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=6)
        )
    article = services.save_article(
        supervisor,
        org,
        title="Невиплачена зарплата: що можна зробити",
        body="Запишіть години роботи. Державна інспекція праці приймає скарги безкоштовно.",
        language="uk",
        keywords="зарплата роботодавець інспекція",
        topics=[topic("unpaid_wages")],
        status="published",
    )
    return Line(org, operator, supervisor, interpreter, article)
