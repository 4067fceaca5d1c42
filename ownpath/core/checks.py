"""System checks of core: module requirements, handlers only of declared events, no demo accounts outside a demo."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks

from ownpath.core.registry import ModuleConfig, Registry


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


def event_errors(registry: Registry, available: list[str]) -> list[checks.CheckMessage]:
    """A handler of an event that no enabled module declares is an error (a renamed or misspelt event would
    silently stop it), unless the event belongs to a module present but not enabled in this deployment."""
    errors: list[checks.CheckMessage] = []
    for event, handlers in registry.event_handlers.items():
        owner = event.split(".", 1)[0]
        if event in registry.events or (owner in available and owner not in registry.modules):
            continue
        names = ", ".join(f"{h.__module__}.{getattr(h, '__qualname__', h)}" for h in handlers)
        errors.append(
            checks.Error(
                f"Event '{event}' has handlers ({names}) but no enabled module declares it.",
                hint=f"Declare it in the events() of module '{owner}' (see docs/events.md), or fix the name.",
                obj=event,
                id="ownpath.E003",
            )
        )
    return errors


@checks.register()
def check_event_subscriptions(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from pathlib import Path

    from ownpath.core.registry import registry

    # The module packages present (core may not import ownpath.modules, so it looks at the directory).
    present = Path(settings.BASE_DIR) / "ownpath" / "modules"
    return event_errors(registry, sorted(p.name for p in present.iterdir() if (p / "apps.py").is_file()))


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
