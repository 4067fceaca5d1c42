"""System checks of core: module requirements, and no demo accounts outside a demo."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks

from ownpath.core.registry import ModuleConfig


def requirement_errors(configs: list[ModuleConfig]) -> list[checks.CheckMessage]:
    enabled = {config.label for config in configs}
    errors: list[checks.CheckMessage] = []
    for config in configs:
        for required in config.requires:
            if required not in enabled:
                errors.append(
                    checks.Error(
                        f"Module '{config.label}' requires module '{required}', which is not enabled.",
                        hint=f"Add '{required}' to OWNPATH_MODULES, or remove '{config.label}' from it.",
                        obj=config.name,
                        id="ownpath.E001",
                    )
                )
    return errors


@checks.register()
def check_module_requirements(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return requirement_errors([c for c in apps.get_app_configs() if isinstance(c, ModuleConfig)])


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.OWNPATH_DEMO:
        return []
    from django.db import DatabaseError

    from ownpath.core.models import User

    try:
        demo = User.objects.filter(is_demo=True, is_active=True).count()
    except DatabaseError:
        return []
    if demo:
        return [
            checks.Error(
                f"{demo} demo account(s) are active outside a demo deployment.",
                hint="Run `manage.py load_demo --disable` or delete them: their passwords and TOTP secrets are public.",
                id="ownpath.E002",
            )
        ]
    return []
