"""The navigator API: assess facts as of a date, or ask which question comes next. Public: no personal data.

Backward compatible: fields are only added. The facts are documented in the OpenAPI schema (``facts``).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from ownpath.core.schema_types import PlausibleDate
from ownpath.modules.navigator.engine import assess
from ownpath.modules.navigator.facts import FACTS, FactError

router = Router(tags=["navigator"], auth=None)

_KINDS = {
    "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166 alpha-2"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


def _fact_schema(name: str) -> dict[str, Any]:
    fact = FACTS[name]
    if fact.kind == "choice":
        schema: dict[str, Any] = {"type": "string", "enum": list(fact.choices)}
    elif fact.kind == "number":
        schema = {"type": "number", "minimum": fact.minimum}
        if fact.maximum is not None:
            schema["maximum"] = fact.maximum
    else:
        schema = dict(_KINDS[fact.kind])
    schema["description"] = f"{schema.get('description', '')} {fact.question}".strip()
    return schema


FACTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Facts of the case; any may be left out (the answer then names the next question). "
    "An unknown fact, value or contradiction is refused with 422 naming the fact.",
    "properties": {name: _fact_schema(name) for name in FACTS},
    "additionalProperties": False,
}


class AssessIn(Schema):
    jurisdiction: str = Field("PL", max_length=2, description="PL, LT or FI")
    as_of: PlausibleDate | None = Field(None, description="The date whose law applies (default: today)")
    facts: dict[str, Any] = Field(default_factory=dict, json_schema_extra=FACTS_SCHEMA)


def _run(payload: AssessIn) -> Any:
    try:
        return assess(payload.jurisdiction, payload.facts, payload.as_of)
    except FactError as error:
        raise ValidationError({error.fact: error.message}) from error
    except KeyError as error:
        raise HttpError(404, _("No rules for this jurisdiction.")) from error


@router.post(
    "/assess",
    summary="The route, outcome (ground, while), obligations with dated fees, citations, review state and trace",
)
def assess_facts(request: HttpRequest, payload: AssessIn) -> Any:
    return _run(payload).as_dict()


@router.post("/next-question", summary="The next fact that matters, or none when the facts decide")
def next_question(request: HttpRequest, payload: AssessIn) -> Any:
    result = _run(payload)
    return {"next_question": result.next_question, "route": result.route}
