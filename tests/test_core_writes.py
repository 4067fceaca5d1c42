"""Core data only through core services (issue 21 point 6).

A module that writes a person, their languages, qualifications, work history, needs, notes, consents or
shares straight into core's tables skips core's events (a language level gained), the audit (which field)
and validation. This reads the source of every module (its syntax tree) and fails on such a write; the
second test shows it finds each kind of write.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ownpath.modules

#: Core's models about a person: modules read them, and write them only through ``ownpath.core.services``.
CORE_PERSON_MODELS = {
    "Person",
    "PersonNameKey",
    "PersonLanguage",
    "Qualification",
    "WorkExperience",
    "Need",
    "PersonNote",
    "Consent",
    "PersonShare",
    "PersonMessage",
    "Handover",
}
#: ``Person``'s reverse relations to those models (``person.languages.create(...)``).
PERSON_RELATIONS = {"languages", "qualifications", "work_history", "needs", "notes", "consents", "shares",
                    "name_keys", "messages"}  # fmt: skip
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update", "delete", "save",
          "add", "set", "remove", "clear"}  # fmt: skip


def _chain(node: ast.AST) -> tuple[ast.AST, list[str]]:
    """The root of ``a.b(...).c.d`` and the attribute names on the way (``["b", "c", "d"]``)."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node, names[::-1]


def _personish(name: str) -> bool:
    return name == "person" or name.endswith("_person") or name in {"consent", "share"}


def core_writes(source: str) -> list[tuple[int, str]]:
    """The lines of ``source`` that write a core model about a person directly, with what they call."""
    tree = ast.parse(source)
    core_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "ownpath.core.models"
        for alias in node.names
        if alias.name in CORE_PERSON_MODELS
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
            continue
        root, names = _chain(node.func)
        root_name = root.id if isinstance(root, ast.Name) else ""
        through_manager = root_name in core_names and ("objects" in names or names[-1] == "save")
        through_person = (_personish(root_name) or "person" in names[:-1]) and bool(PERSON_RELATIONS & set(names))
        saved = (names == ["save"] and _personish(root_name)) or names[-2:] == ["person", "save"]
        if through_manager or through_person or saved:
            found.append((node.lineno, ".".join([root_name, *names])))
    return found


def test_modules_write_core_data_only_through_core_services() -> None:
    modules = Path(ownpath.modules.__file__).parent
    offenders = [
        f"{path.relative_to(modules)}:{line}: {call}"
        for path in sorted(modules.rglob("*.py"))
        if "migrations" not in path.parts
        for line, call in core_writes(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use ownpath.core.services (people, consent, ...) instead:\n" + "\n".join(offenders)


def test_the_scan_finds_each_kind_of_direct_write() -> None:
    source = """
from ownpath.core.models import PersonLanguage, Consent as C, Person, Organisation
PersonLanguage.objects.update_or_create(person=p, language="pl")
C.objects.filter(person=p).update(withdrawn_at=None)
Person.objects.filter(pk=1).update(last_activity_at=None)
person.languages.all().delete()
step.person.save()
person.save()
Organisation.objects.create(name="fine: not about a person")
vacancy.languages.all().delete()
PersonLanguage.objects.filter(person=p).exists()
"""
    assert [line for line, _call in core_writes(source)] == [3, 4, 5, 6, 7, 8]
