"""System checks of the training module: Open Badges need an issuer e-mail in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def badge_issuer_email_errors(production: bool, email: str) -> list[checks.CheckMessage]:
    if not production:
        return []
    try:
        validate_email(email)
    except ValidationError:
        return [
            checks.Error(
                "OWNPATH_BADGE_ISSUER_EMAIL is not set to an e-mail address: Open Badges would name no issuer contact.",
                hint="Set OWNPATH_BADGE_ISSUER_EMAIL to the address that answers questions about badges.",
                id="ownpath.training.E001",
            )
        ]
    return []


@checks.register()
def check_badge_issuer_email(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return badge_issuer_email_errors(settings.PRODUCTION, settings.OWNPATH_BADGE_ISSUER_EMAIL)
