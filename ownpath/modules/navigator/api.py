"""The navigator API: assess facts as of a date, or ask which question comes next. Public: no personal data."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from ownpath.modules.navigator.engine import assess
from ownpath.modules.navigator.facts import FactError

router = Router(tags=["navigator"], auth=None)


class AssessIn(Schema):
    jurisdiction: str = Field("PL", max_length=2)
    as_of: date | None = None
    facts: dict[str, Any] = Field(default_factory=dict)


def _run(payload: AssessIn) -> Any:
    try:
        return assess(payload.jurisdiction, payload.facts, payload.as_of)
    except FactError as error:
        raise ValidationError({error.fact: error.message}) from error
    except KeyError as error:
        raise HttpError(404, _("No rules for this jurisdiction.")) from error


@router.post("/assess", summary="The route, obligations, fees, citations and the trace")
def assess_facts(request: HttpRequest, payload: AssessIn) -> Any:
    return _run(payload).as_dict()


@router.post("/next-question", summary="The next fact that matters, or none when the facts decide")
def next_question(request: HttpRequest, payload: AssessIn) -> Any:
    result = _run(payload)
    return {"next_question": result.next_question, "route": result.route}
