"""Validators for the classes of values that every module takes in: phone numbers and dates.

One definition, used by model fields (so services that call ``full_clean`` refuse bad values), by form
fields (``ownpath.core.forms.PhoneField``), by API schemas (``ownpath.core.schema_types``) and by the last
line of defence, ``check_instance``, which refuses to store an implausible date or phone number whatever
path the value came by.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Separators people write between digits: spaces, dashes, dots, slashes and brackets around an area code.
_PHONE_SEPARATORS = re.compile(r"[\s\-./()\u00a0]")
_PHONE = re.compile(r"^\+?[0-9]{3,15}$")
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|wew\.?|доб\.?)\s*[0-9]{1,6}$", re.IGNORECASE)

# Dates anyone enters in ownpath (births, residence titles, contracts, sessions, courses) fall in these
# years; a year outside them is a typing mistake (year 1, 20255) that would break sorting and reminders.
FIRST_YEAR = 1900
LAST_YEAR = 2199


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a phone number, or None. Accepted: an optional leading ``+``, then 3 to 15 digits
    (E.164 allows 15; 3 for short numbers such as 112), separated by spaces, dashes, dots, slashes or
    brackets, and an optional extension ("ext. 12")."""
    text = (value or "").strip()
    if not text:
        return None
    text = _EXTENSION.sub("", text)
    digits = _PHONE_SEPARATORS.sub("", text)
    if not _PHONE.match(digits) or "+" in text[1:]:
        return _("Enter a phone number: digits with spaces or dashes, optionally starting with + and the country code.")
    return None


def validate_phone(value: str) -> None:
    problem = phone_problem(value)
    if problem:
        raise ValidationError(problem, code="phone")


def date_problem(value: date | None) -> str | None:
    """Why ``value`` is not a plausible date for anything ownpath records, or None."""
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return _("Enter a date between the years %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def validate_plausible_date(value: date | None) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_range")


def validate_residence_expiry(value: date | None) -> None:
    """A residence title that expires: at most 30 years ago (older ones are history) and 50 years ahead."""
    if value is None:
        return
    validate_plausible_date(value)
    today = timezone.localdate()
    if not today.year - 30 <= value.year <= today.year + 50:
        raise ValidationError(
            _("Enter an expiry date between %(first)s and %(last)s.")
            % {"first": today.year - 30, "last": today.year + 50},
            code="date_range",
        )


def plausible_date_or_none(value: date | None) -> date | None:
    """``value`` if plausible, else None (for imports that skip what they cannot use)."""
    return value if value is not None and date_problem(value) is None else None


def check_instance(instance: Any) -> None:
    """Refuse to store an implausible date or phone number on any ownpath model (a ``pre_save`` receiver):
    the forms and the API check these fields with a message per field; this catches every other path.
    Phone numbers are checked when a record is added (an old record saved for another reason keeps its
    number until someone edits it through a form or the API, which check it)."""
    errors: dict[str, str] = {}
    adding = instance._state.adding
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if value is None or value == "":
            continue
        if field.get_internal_type() == "DateField" and isinstance(value, date):
            problem = date_problem(value)
        elif adding and (field.name == "phone" or field.name.endswith("_phone")) and isinstance(value, str):
            problem = phone_problem(value)
        else:
            continue
        if problem:
            errors[field.name] = problem
    if errors:
        raise ValidationError(errors)


def guard_saves(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not sender.__module__.startswith("ownpath."):
        return
    check_instance(instance)
