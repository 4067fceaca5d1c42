"""Optional modules of ownpath, one Django app per sub-package.

A deployment chooses its modules with ``OWNPATH_MODULES`` (comma-separated names, or ``all``). A module
never imports another module: it talks to the others through ``ownpath.core`` services, events and the
registry (see ``ownpath.core.registry``). ``make test`` enforces that with import-linter.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MODULES_DIR = Path(__file__).resolve().parent


def available_modules() -> list[str]:
    """Names of the module packages present in this installation, sorted."""
    return sorted(path.name for path in MODULES_DIR.iterdir() if path.is_dir() and (path / "apps.py").is_file())


def discover_modules(spec: str) -> list[str]:
    """Turn the value of OWNPATH_MODULES into the list of module names to install.

    ``all`` (or an empty value) picks every module present; otherwise each name must be a module present
    in ``ownpath/modules/``. Requirements between modules are checked later by a system check, so that the
    message can name both sides.
    """
    available = available_modules()
    wanted = [name.strip() for name in spec.split(",") if name.strip()]
    if not wanted or wanted == ["all"]:
        return available
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ImproperlyConfigured(
            f"OWNPATH_MODULES names unknown module(s): {', '.join(unknown)}. "
            f"Available: {', '.join(available) or '(none)'}."
        )
    return list(dict.fromkeys(wanted))
