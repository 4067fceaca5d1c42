"""Model fields of core."""

from __future__ import annotations

from typing import Any

from django.db import models

from ownpath.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted (Fernet) in the database and clear in Python.

    It cannot be searched or ordered in the database, which is the point: health, psychological and legal
    notes are read through the person page, never through queries.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
