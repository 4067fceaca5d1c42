"""One decision for every way a person's sensitive data leaves ownpath.

Notes, needs, assessments and legal questions belong to a *sensitive group* (``SensitiveGroup``): health,
psychological, legal or general. Which roles read which group is one table (``access.GROUP_READERS``);
what one reader may read of one person is decided here, once, by :func:`lens_for`, and the person page,
the API, the GDPR export (HTML, JSON, API), the CSV/XLSX exports and the notifications all ask the same
:class:`Lens` (see docs/sensitivity.md).

Exporters (core's and every module's ``PersonalDataProvider``) do not decide: they wrap what belongs to a
group in :class:`Sensitive`, and :func:`disclose` resolves the wrappers through the reader's lens and turns
every value into plain JSON (dates, decimals, UUIDs, lazy translations, countries... any class), so that
no contributor can leak a group or break an export with a value the JSON encoder does not know.

The data subject's own copy (:func:`subject_lens`) reads every group: it is a separate path, taken only by
the person's own account or by an administrator acting on the person's recorded request, and audited as
such (``ownpath.core.services.gdpr.export_for_subject``).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

from ownpath.core import access
from ownpath.core.choices import SensitiveGroup


@dataclass(frozen=True)
class Sensitive:
    """A value (a field, or a whole record) that belongs to ``group``.

    ``author_id`` is the account that wrote it (an author always reads their own text); ``organisation_id``
    the organisation whose staff wrote it (an organisation the record is only shared with reads what its
    own staff wrote, never the holder's notes).
    """

    group: str
    value: Any
    author_id: int | None = None
    organisation_id: int | None = None

    # Fail closed: a wrapper that reaches a template, a PDF, a CSV cell, a log line or a notification without
    # passing through a lens shows nothing of its value.
    def __str__(self) -> str:
        return "—"

    def __repr__(self) -> str:
        return f"Sensitive({self.group!r}, <withheld>)"

    def __format__(self, spec: str) -> str:
        return "—"


@dataclass(frozen=True)
class Lens:
    """What one reader may read of one person's record."""

    groups: frozenset[str]
    reader_id: int | None = None
    own_organisations: frozenset[int] = frozenset()
    at_holder: bool = True
    subject: bool = False

    def reads(self, group: str, *, author_id: int | None = None, organisation_id: int | None = None) -> bool:
        """May the reader read something of ``group`` written by ``author_id`` at ``organisation_id``?"""
        if self.subject:
            return True
        if not self.at_holder and organisation_id is not None and organisation_id not in self.own_organisations:
            return False
        if group in self.groups:
            return True
        return author_id is not None and author_id == self.reader_id

    def reads_item(self, item: Sensitive) -> bool:
        return self.reads(item.group, author_id=item.author_id, organisation_id=item.organisation_id)

    @property
    def withheld_groups(self) -> list[str]:
        """The groups this reader never reads (whatever the record holds: the list says nothing about it)."""
        if self.subject:
            return []
        return [group for group in SensitiveGroup.values if group not in self.groups]


def lens_for(user: Any, person: Any) -> Lens:
    """The lens of a member of staff (or anyone signed in) on ``person``; cached on the person object."""
    cache: dict[int, Lens] = person.__dict__.setdefault("_ownpath_lenses", {})
    key = getattr(user, "pk", None) or 0
    if key not in cache:
        own = frozenset(access.organisations_with_roles(user, access.CASEWORK_ROLES))
        cache[key] = Lens(
            groups=frozenset(g for g in SensitiveGroup.values if access.can_read_group(user, person, g)),
            reader_id=getattr(user, "pk", None),
            own_organisations=own,
            at_holder=person.organisation_id in own,
        )
    return cache[key]


def subject_lens(person: Any) -> Lens:
    """The data subject's own lens: everything held about them."""
    return Lens(groups=frozenset(SensitiveGroup.values), subject=True)


class _Withheld:
    pass


WITHHELD = _Withheld()


def disclose(value: Any, lens: Lens) -> Any:
    """``value`` as plain JSON (dict, list, str, int, float, bool, None), with every :class:`Sensitive`
    the lens may not read taken out: from a list the item goes, in a mapping the value becomes None."""
    result = _walk(value, lens)
    return None if result is WITHHELD else result


def _walk(value: Any, lens: Lens) -> Any:
    if isinstance(value, Sensitive):
        return _walk(value.value, lens) if lens.reads_item(value) else WITHHELD
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            walked = _walk(item, lens)
            out[str(key)] = None if walked is WITHHELD else walked
        return out
    if isinstance(value, list | tuple | set | frozenset) or _is_iterable_queryset(value):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [walked for walked in (_walk(item, lens) for item in items) if walked is not WITHHELD]
    if isinstance(value, enum.Enum):
        return _walk(value.value, lens)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID | Promise):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Model):
        return str(value.pk)
    # Anything else (a country, a geometry, a value object of a module): its text, never an error.
    return str(value)


def cell(value: Any, lens: Lens | None) -> Any:
    """One cell of a table (CSV, XLSX) or one parameter of a text (a notification): a :class:`Sensitive`
    through ``lens`` (empty when withheld, and always without a lens); anything else as it is."""
    if isinstance(value, Sensitive):
        return value.value if lens is not None and lens.reads_item(value) else ""
    return value


def _is_iterable_queryset(value: Any) -> bool:
    from django.db.models.query import QuerySet

    return isinstance(value, QuerySet)
