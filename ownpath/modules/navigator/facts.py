"""The facts an assessment may use, their types and enumerations, and the check of a set of facts.

Unknown or contradictory facts are refused with an error naming the fact: nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

RESIDENCE_TITLES = (
    "none",
    "visa_free",
    "national_visa",
    "schengen_visa",
    "schengen_visa_other_state",
    "transit_visa",
    "temporary_residence",
    "permanent_residence",
    "long_term_eu",
    "refugee",
    "subsidiary_protection",
    "humanitarian",
    "tolerated",
    "temporary_protection",
    "eu_family_member",
    "eu_blue_card",
    "cukr_card",
)
# National visa purposes of the Polish Act on foreigners (art. 60), as the codes printed on the visa.
VISA_PURPOSES = tuple(f"{n:02d}" for n in range(1, 25))
WORK_KINDS = ("standard", "seasonal", "board_member", "posting", "highly_qualified")


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # country | countries | date | bool | choice | number
    question: Any
    choices: tuple[str, ...] = ()


FACTS = {
    f.name: f
    for f in (
        Fact("citizenship", "country", _("What is the worker's citizenship?")),
        Fact("residence_title", "choice", _("On what basis does the worker stay in the country?"), RESIDENCE_TITLES),
        Fact("visa_purpose", "choice", _("What purpose code is printed on the national visa?"), VISA_PURPOSES),
        Fact("legal_stay", "bool", _("Is the worker's stay legal on the day work starts?")),
        Fact("has_karta_polaka", "bool", _("Does the worker hold a valid Karta Polaka?")),
        Fact("full_time_student_pl", "bool", _("Is the worker a full-time student at a Polish university?")),
        Fact(
            "university_listed",
            "bool",
            _(
                "Is the university public, or on the ministry's list of universities whose students may work without a permit?"
            ),
        ),
        Fact("work_kind", "choice", _("What kind of work is it?"), WORK_KINDS),
        Fact("employer_in_country", "bool", _("Does the employer have its seat in the country?")),
        Fact("shortage_occupation", "bool", _("Is the occupation on the country's list of shortage occupations?")),
        Fact("duration_months", "number", _("How many months will the work last?")),
        Fact("start_date", "date", _("When does the work start?")),
        Fact("visa_valid_from", "date", _("From when is the visa valid?")),
        Fact("visa_valid_to", "date", _("Until when is the visa valid?")),
    )
}


class FactError(ValueError):
    def __init__(self, fact: str, message: str) -> None:
        super().__init__(f"{fact}: {message}")
        self.fact = fact
        self.message = message


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """Typed facts; FactError naming the first unknown, malformed or contradictory one."""
    from django_countries import countries

    known = dict(countries)
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        fact = FACTS.get(name)
        if fact is None:
            raise FactError(name, str(_("Unknown fact.")))
        if fact.kind == "country":
            code = str(value).upper()
            if code not in known:
                raise FactError(name, str(_("Unknown country code %(code)s (ISO 3166 alpha-2).")) % {"code": value})
            facts[name] = code
        elif fact.kind == "date":
            try:
                facts[name] = date.fromisoformat(str(value)).isoformat()
            except ValueError as error:
                raise FactError(name, str(_("Not a date (YYYY-MM-DD)."))) from error
        elif fact.kind == "bool":
            if not isinstance(value, bool):
                raise FactError(name, str(_("Answer true or false.")))
            facts[name] = value
        elif fact.kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise FactError(name, str(_("A number of 0 or more.")))
            facts[name] = value
        else:
            if value not in fact.choices:
                raise FactError(name, str(_("Not one of: %(choices)s.")) % {"choices": ", ".join(fact.choices)})
            facts[name] = value
    if "visa_valid_from" in facts and "visa_valid_to" in facts and facts["visa_valid_to"] < facts["visa_valid_from"]:
        raise FactError("visa_valid_to", str(_("The visa cannot expire before it starts.")))
    if "visa_purpose" in facts and facts.get("residence_title") not in (None, "national_visa"):
        raise FactError("visa_purpose", str(_("A visa purpose belongs to a national visa only.")))
    return facts
