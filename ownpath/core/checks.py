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


def person_related_models() -> dict[str, str]:
    """Every model whose rows are about a person, with how it reaches them (``model <- field``).

    A model relates to a person when it has a foreign key to ``core.Person`` or to another such model, or
    keeps a person's id in a plain ``person_id`` column (pseudonymous statistics). Staff accounts
    (``core.User``) are not followed: they are the people doing the work, not the people helped.
    """
    from ownpath.core.models import Person

    found: dict[Any, str] = {Person: "core.Person"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False):
                    continue
                if (field.is_relation and field.related_model in found) or (
                    not field.is_relation and field.name == "person_id"
                ):
                    target = field.related_model._meta.label if field.related_model is not None else "person_id"
                    found[model] = f"{field.name} -> {target}"
                    changed = True
                    break
    return {model._meta.label: how for model, how in found.items() if model is not Person}


def gdpr_coverage_errors(providers: Any = None) -> list[checks.CheckMessage]:
    """A model about a person that no personal-data provider (nor core's own export and erasure) covers."""
    from ownpath.core.registry import registry
    from ownpath.core.services.gdpr import CORE_MODELS, RETAINED

    providers = registry.personal_data_providers if providers is None else providers
    covered: dict[str, str] = {label: "core" for label in (*CORE_MODELS, *RETAINED)}
    errors: list[checks.CheckMessage] = []
    for provider in providers:
        for label in provider.models:
            covered.setdefault(label, provider.key)
        if provider.models and provider.erase is None:
            errors.append(
                checks.Error(
                    f"Personal-data provider '{provider.key}' covers {', '.join(provider.models)} but cannot erase.",
                    hint="Give it an erase function: every model about a person is exported and erased.",
                    id="ownpath.E004",
                )
            )
    for label, how in sorted(person_related_models().items()):
        if label not in covered:
            errors.append(
                checks.Error(
                    f"Model {label} holds data about a person ({how}) but no personal-data provider covers it.",
                    hint="Name it in the `models` of the module's PersonalDataProvider, whose export and erase "
                    "must include its rows (GDPR art. 15 and 17).",
                    obj=label,
                    id="ownpath.E004",
                )
            )
    return errors


@checks.register()
def check_gdpr_coverage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from ownpath.core.registry import registry

    if not registry.frozen:
        return []
    return gdpr_coverage_errors()
