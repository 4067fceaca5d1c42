"""The facts an assessment may use, their types and enumerations, and the check of a set of facts.

Unknown or contradictory facts are refused with an error naming the fact: nothing is guessed. Each fact has
two questions: one that speaks to the migrant ("you") and one that speaks to an employer about the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
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
    "asylum_seeker",
    "eu_family_member",
    "eu_blue_card",
    "cukr_card",
)
# The purpose printed on a Polish visa sticker (regulation on visas for foreigners, § 2 ust. 1, version
# from 2024-01-31). "05" is the code printed before 2021 and is still accepted from older records.
VISA_PURPOSES = (
    "01",
    "02",
    "03",
    "04",
    "05",
    "05a",
    "05b",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
)
WORK_KINDS = ("standard", "seasonal", "board_member", "posting", "highly_qualified")
PERMIT_PURPOSES = (
    "work",
    "family_of_citizen",
    "family_reunification",
    "studies",
    "research",
    "job_search",
    "short_stay",
    "other",
)
POSTING_KINDS = ("to_affiliate", "export_service", "other_service")
LOCATIONS = ("abroad", "in_country")
# Choices that exist only in some countries' law: the interview offers them only there.
CHOICE_SCOPE: dict[str, frozenset[str]] = {
    "cukr_card": frozenset({"PL"}),
    "tolerated": frozenset({"PL"}),
    "humanitarian": frozenset({"PL"}),
    "short_stay": frozenset({"PL"}),
    "asylum_seeker": frozenset({"PL"}),
    "board_member": frozenset({"PL"}),
}


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # country | date | bool | choice | number
    question: Any  # to an employer (or a counsellor) about the worker
    question_you: Any  # to the migrant
    choices: tuple[str, ...] = ()
    minimum: float = 0
    maximum: float | None = None
    help: Any = ""

    def choices_for(self, jurisdiction: str) -> tuple[str, ...]:
        return tuple(c for c in self.choices if jurisdiction in CHOICE_SCOPE.get(c, frozenset({jurisdiction})))


FACTS = {
    f.name: f
    for f in (
        Fact("citizenship", "country", _("What is the worker's citizenship?"), _("What is your citizenship?")),
        Fact(
            "location",
            "choice",
            _("Where is the worker now?"),
            _("Where are you now?"),
            LOCATIONS,
        ),
        Fact(
            "residence_title",
            "choice",
            _("On what basis does the worker stay in the country?"),
            _("On what basis do you stay in the country?"),
            RESIDENCE_TITLES,
        ),
        Fact(
            "visa_purpose",
            "choice",
            _("Which purpose code is printed on the worker's visa (field “remarks”)?"),
            _("Which purpose code is printed on your visa (field “remarks”)?"),
            VISA_PURPOSES,
            help=_("The code stands after “cel wydania:” on the visa sticker."),
        ),
        Fact(
            "residence_permit_purpose",
            "choice",
            _("For what purpose was the worker's temporary residence permit granted?"),
            _("For what purpose was your temporary residence permit granted?"),
            PERMIT_PURPOSES,
        ),
        Fact(
            "same_employer",
            "bool",
            _("Is this the employer named in the worker's residence permit?"),
            _("Is this the employer named in your residence permit?"),
        ),
        Fact(
            "asylum_certificate",
            "bool",
            _(
                "Does the worker hold the certificate of the Office for Foreigners that allows an applicant for protection to work?"
            ),
            _(
                "Do you hold the certificate of the Office for Foreigners that allows an applicant for protection to work?"
            ),
        ),
        Fact(
            "existing_declaration",
            "bool",
            _("Was a declaration for this work registered before 1 December 2025, and is it still running?"),
            _("Was a declaration for your work registered before 1 December 2025, and is it still running?"),
        ),
        Fact(
            "legal_stay",
            "bool",
            _("Is the worker's stay legal on the day work starts?"),
            _("Is your stay legal on the day work starts?"),
        ),
        Fact(
            "has_karta_polaka",
            "bool",
            _("Does the worker hold a valid Karta Polaka (Pole's Card)?"),
            _("Do you hold a valid Karta Polaka (Pole's Card)?"),
        ),
        Fact(
            "full_time_student_pl",
            "bool",
            _("Is the worker a full-time student at a university in the country of work?"),
            _("Are you a full-time student at a university in the country of work?"),
        ),
        Fact(
            "university_listed",
            "bool",
            _(
                "Is the university public, or on the ministry's list of universities whose students may work without a permit?"
            ),
            _(
                "Is your university public, or on the ministry's list of universities whose students may work without a permit?"
            ),
        ),
        Fact(
            "graduate_in_country",
            "bool",
            _("Has the worker graduated from a university in the country of work?"),
            _("Have you graduated from a university in the country of work?"),
        ),
        Fact(
            "work_kind",
            "choice",
            _("What kind of work is it?"),
            _("What kind of work is it?"),
            WORK_KINDS,
        ),
        Fact(
            "employer_in_country",
            "bool",
            _("Does the employer have its seat in the country of work?"),
            _("Does your employer have its seat in the country of work?"),
        ),
        Fact(
            "employer_country",
            "country",
            _("In which country does the employer have its seat?"),
            _("In which country does your employer have its seat?"),
        ),
        Fact(
            "posting_kind",
            "choice",
            _("What is the posting for?"),
            _("What are you posted for?"),
            POSTING_KINDS,
        ),
        Fact(
            "shortage_occupation",
            "bool",
            _("Is the occupation on the country's list of shortage occupations?"),
            _("Is your occupation on the country's list of shortage occupations?"),
        ),
        Fact(
            "seasonal_sector_listed",
            "bool",
            _("Is the work in a sector listed for seasonal work (agriculture, horticulture, tourism, accommodation)?"),
            _("Is the work in a sector listed for seasonal work (agriculture, horticulture, tourism, accommodation)?"),
        ),
        Fact(
            "months_worked_this_year",
            "number",
            _("How many months has the worker already done seasonal work in the country this calendar year?"),
            _("How many months have you already done seasonal work in the country this calendar year?"),
            maximum=12,
        ),
        Fact(
            "working_time_fte",
            "number",
            _("What share of full time will the worker work? (1 = full time, 0.5 = half time)"),
            _("What share of full time will you work? (1 = full time, 0.5 = half time)"),
            maximum=1,
        ),
        Fact(
            "duration_months",
            "number",
            _("How many months will the work last?"),
            _("How many months will the work last?"),
            maximum=120,
        ),
        Fact("start_date", "date", _("When does the work start?"), _("When does your work start?")),
        Fact("visa_valid_from", "date", _("From when is the visa valid?"), _("From when is your visa valid?")),
        Fact("visa_valid_to", "date", _("Until when is the visa valid?"), _("Until when is your visa valid?")),
    )
}


class FactError(ValueError):
    def __init__(self, fact: str, message: str) -> None:
        super().__init__(f"{fact}: {message}")
        self.fact = fact
        self.message = message


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes, read once (building them per call cost ~40 % of an assessment)."""
    from django_countries import countries

    return frozenset(code for code, _name in countries)


def clean(raw: dict[str, Any]) -> dict[str, Any]:  # noqa: C901 (to split, issue 22)
    """Typed facts; FactError naming the first unknown, malformed or contradictory one."""
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        fact = FACTS.get(name)
        if fact is None:
            raise FactError(name, str(_("Unknown fact.")))
        kind = fact.kind
        if kind == "country":
            code = str(value).upper()
            if code not in country_codes():
                raise FactError(name, str(_("Unknown country code %(code)s (ISO 3166 alpha-2).")) % {"code": value})
            facts[name] = code
        elif kind == "bool":
            if not isinstance(value, bool):
                raise FactError(name, str(_("Answer true or false.")))
            facts[name] = value
        elif kind == "choice":
            if value not in fact.choices:
                raise FactError(name, str(_("Not one of: %(choices)s.")) % {"choices": ", ".join(fact.choices)})
            facts[name] = value
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < fact.minimum:
                raise FactError(name, str(_("A number of 0 or more.")))
            if fact.maximum is not None and value > fact.maximum:
                raise FactError(name, str(_("At most %(maximum)s.")) % {"maximum": fact.maximum})
            facts[name] = value
        else:
            try:
                facts[name] = date.fromisoformat(str(value)).isoformat()
            except ValueError as error:
                raise FactError(name, str(_("Not a date (YYYY-MM-DD)."))) from error
    if "visa_valid_from" in facts and "visa_valid_to" in facts and facts["visa_valid_to"] < facts["visa_valid_from"]:
        raise FactError("visa_valid_to", str(_("The visa cannot expire before it starts.")))
    if "visa_purpose" in facts and facts.get("residence_title") not in (None, "national_visa"):
        raise FactError("visa_purpose", str(_("A visa purpose belongs to a national visa only.")))
    if "residence_permit_purpose" in facts and facts.get("residence_title") not in (None, "temporary_residence"):
        raise FactError(
            "residence_permit_purpose", str(_("A permit purpose belongs to a temporary residence permit only."))
        )
    return facts
