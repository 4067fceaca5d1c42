"""Demo data of the surveys module: the mirrored migrant/employer pair, open, with invented answers in
several languages — enough for the results, the cross-tabulation and the mirror to show, and one small group
that shows suppression at work."""

from __future__ import annotations

import random

from django.db import transaction

from ownpath.core.models import Membership, Organisation
from ownpath.modules.surveys import services
from ownpath.modules.surveys.models import Response, Status, Survey, hash_key
from ownpath.modules.surveys.rules import SURVEY_ROLES

LANGUAGES = ["uk", "ru", "ar", "pl", "en"]
ROLES = ["migration_team_coordinator", "org_admin", "counsellor"]


def _answers(survey: Survey, rng: random.Random, tilt: int) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in survey.questions.all():
        if question.type in ("select_one", "scale"):
            names = [c["name"] for c in question.choices]
            if question.type == "scale":
                weights = [max(1, 1 + tilt * (i - 2) + 3 - abs(i - 2)) for i in range(len(names))]
            else:
                weights = [len(names) - i for i in range(len(names))]
            answers[question.name] = rng.choices(names, weights)[0]
        elif question.type == "select_multiple":
            names = [c["name"] for c in question.choices]
            answers[question.name] = sorted(rng.sample(names[:-1], rng.randint(1, 3)))
        elif question.type == "integer":
            answers[question.name] = rng.randint(1, 40)
    state_answers = dict(answers)
    from ownpath.modules.surveys.collect import State

    state = State(survey, state_answers)
    state.prune()
    return state.answers


@transaction.atomic
def load() -> str:
    if Survey.objects.filter(template_key="expectations").exists():
        return "surveys: already loaded"
    memberships = Membership.objects.filter(is_active=True, user__is_demo=True).select_related("user", "organisation")
    membership = next((m for role in ROLES for m in memberships if m.role == role and m.role in SURVEY_ROLES), None)
    if membership is None:
        return "surveys: no demo coordinator"
    organisation: Organisation = membership.organisation
    migrants, employers = services.from_template(membership.user, organisation, "expectations")
    rng = random.Random(9)
    for survey, count, tilt in ((migrants, 140, 1), (employers, 70, -1)):
        services.set_status(membership.user, survey, Status.OPEN)
        link = services.create_link(membership.user, survey, "demo")
        for n in range(count):
            Response.objects.create(
                survey=survey, link=link, resume_hash=hash_key(f"demo-{survey.pk}-{n}"),
                language=rng.choice(LANGUAGES), answers=_answers(survey, rng, tilt), page=0,
                submitted_on=survey.created_at.date(),
            )  # fmt: skip
    return f"surveys: the mirrored pair at {organisation}, 140 + 70 anonymous answers"
