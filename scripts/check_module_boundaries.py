"""Fail if a module under ownpath/modules/ imports another module (import-linter checks core's side).

Modules talk through ownpath.core (services, events, the registry); this check reads every import
statement of every module, including relative and function-level ones, and lists each crossing.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULES = Path(__file__).resolve().parent.parent / "ownpath" / "modules"


def imported_names(path: Path, package: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def crossings(modules_dir: Path = MODULES) -> list[str]:
    names = sorted(p.name for p in modules_dir.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    problems: list[str] = []
    for name in names:
        for path in (modules_dir / name).rglob("*.py"):
            relative = path.relative_to(modules_dir.parent.parent).with_suffix("")
            package = ".".join(relative.parts[:-1])
            reported: set[tuple[int, str]] = set()
            for line, imported in imported_names(path, package):
                parts = imported.split(".")
                crossing = len(parts) >= 3 and parts[:2] == ["ownpath", "modules"] and parts[2] != name
                if crossing and parts[2] in names and (line, parts[2]) not in reported:
                    reported.add((line, parts[2]))
                    problems.append(f"{path}:{line}: module '{name}' imports module '{parts[2]}' ({imported})")
    return sorted(problems)


if __name__ == "__main__":
    found = crossings()
    for problem in found:
        print(problem)
    if found:
        print("Modules must not import each other: use ownpath.core services, events and the registry.")
        sys.exit(1)
    print("Module boundaries hold.")
