"""The module system: what a module declares reaches the registry; crossings between modules are caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

from ownpath.core.registry import (
    ApiRouter,
    DashboardWidget,
    MenuItem,
    ModuleConfig,
    PersonTab,
    Registry,
    RegistryFrozen,
    RetentionPolicy,
    SearchProvider,
)

ROOT = Path(__file__).resolve().parent.parent


class Helpline(ModuleConfig):
    name, label = "ownpath.core", "helpline"
    requires = ("directory",)

    def menu_items(self):  # type: ignore[no-untyped-def]
        return [MenuItem("Helpline", "helpline:contacts", "helpline.view", order=20), MenuItem("Calls", "x", order=5)]

    def dashboard_widgets(self):  # type: ignore[no-untyped-def]
        return [DashboardWidget("calls", "Calls today", "helpline/widget.html")]

    def person_tabs(self):  # type: ignore[no-untyped-def]
        return [PersonTab("contacts", "Contacts", "helpline/tab.html", order=50)]

    def api_router(self):  # type: ignore[no-untyped-def]
        return ApiRouter("helpline", "ownpath.modules.helpline.api.router")

    def permissions(self):  # type: ignore[no-untyped-def]
        return {"helpline.view": "Operators"}

    def search_providers(self):  # type: ignore[no-untyped-def]
        return [SearchProvider("contacts", "Contacts", lambda user, q, n: [])]

    def event_handlers(self):  # type: ignore[no-untyped-def]
        return {"core.person_erased": [print]}

    def retention_policies(self):  # type: ignore[no-untyped-def]
        return [RetentionPolicy("contacts", "Contacts", "helpline.Contact", "started_at", 365)]


def make(config: type[ModuleConfig]) -> ModuleConfig:
    import ownpath.core

    return config("ownpath.core", ownpath.core)


def test_every_contribution_reaches_the_registry_sorted_and_frozen() -> None:
    registry = Registry()
    registry.register_module(make(Helpline))
    registry.freeze()
    assert [item.label for item in registry.menu_items] == ["Calls", "Helpline"]
    assert registry.dashboard_widgets[0].key == "calls" and registry.person_tabs[0].key == "contacts"
    assert registry.api_routers[0].prefix == "helpline" and registry.permissions == {"helpline.view": "Operators"}
    assert registry.search_providers[0].key == "contacts" and list(registry.handlers_for("core.person_erased")) == [
        print
    ]
    assert registry.retention_policies[0].days == 365
    with pytest.raises(RegistryFrozen):
        registry.register_module(make(Helpline))
    with pytest.raises(AttributeError):
        registry.menu_items.append(MenuItem("late", "x"))  # type: ignore[attr-defined]


def test_a_module_cannot_register_twice_or_declare_a_permission_twice() -> None:
    registry = Registry()
    registry.register_module(make(Helpline))
    with pytest.raises(ValueError, match="registered twice"):
        registry.register_module(make(Helpline))


def test_a_missing_requirement_is_a_system_check_error() -> None:
    from ownpath.core.checks import requirement_errors

    errors = requirement_errors([make(Helpline)])
    assert errors and errors[0].level == checks.ERROR and "'directory'" in errors[0].msg


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_boundary_check_catches_every_kind_of_crossing(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from check_module_boundaries import crossings
    finally:
        sys.path.pop(0)
    modules = tmp_path / "ownpath" / "modules"
    for name in ("helpline", "counselling", "directory"):
        _write(modules, f"{name}/__init__.py", "")
        _write(modules, f"{name}/apps.py", "")
    _write(
        modules, "helpline/services.py", "from ownpath.core import events\nfrom ownpath.modules.helpline import apps\n"
    )
    assert crossings(modules) == []
    _write(modules, "helpline/views.py", "import ownpath.modules.counselling.models\n")
    _write(modules, "helpline/api.py", "def f():\n    from ownpath.modules.directory import selectors\n")
    _write(modules, "helpline/sub/tasks.py", "from ...counselling import services\n")
    _write(modules, "helpline/sub/__init__.py", "")
    found = crossings(modules)
    assert len(found) == 3
    assert any("views.py:1" in line and "'counselling'" in line for line in found)
    assert any("api.py:2" in line and "'directory'" in line for line in found)
    assert any("tasks.py:1" in line and "'counselling'" in line for line in found)


def test_unknown_modules_stop_start_up_with_their_names() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "OWNPATH_MODULES": "helpline,nosuch"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "nosuch" in result.stderr


def test_demo_accounts_fail_the_deploy_check_outside_a_demo(db: None, settings: object) -> None:
    from ownpath.core.checks import check_no_demo_accounts
    from tests.factories import UserFactory

    UserFactory(is_demo=True)
    assert check_no_demo_accounts() == []
    settings.OWNPATH_DEMO = False  # type: ignore[attr-defined]
    assert [e.id for e in check_no_demo_accounts()] == ["ownpath.E002"]
