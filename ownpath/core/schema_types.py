"""Field types for API schemas, with the same rules as the forms (``ownpath.core.validators``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from ownpath.core.validators import date_problem, phone_problem


def _phone(value: str) -> str:
    problem = phone_problem(value)
    if problem:
        raise PydanticCustomError("phone", problem)
    return value


def _date(value: date) -> date:
    problem = date_problem(value)
    if problem:
        raise PydanticCustomError("date_range", problem)
    return value


Phone = Annotated[
    str, Field(max_length=40, description="A phone number: digits, spaces, dashes, optional +"), AfterValidator(_phone)
]
PlausibleDate = Annotated[date, AfterValidator(_date)]
