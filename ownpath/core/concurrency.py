"""Optimistic concurrency: a save made from stale values is refused, nothing is overwritten.

Every edit form and PATCH endpoint carries the *version* of the record it was made from: a keyed hash
(HMAC with the secret key) of the fields it edits, as stored when the form was shown or the record read
(the ``ETag`` of an API read, sent back in ``If-Match``). The service locks the row, hashes what is stored
now and compares: when someone else saved in between, :class:`StaleEdit` is raised with what they changed
(field, value stored now, value this editor sent) and who saved last, so the editor sees the other
person's changes in their language and decides again. A hash over the edited fields only (not a counter
bumped by every save) means that unrelated writes (a session logged, an activity time touched) do not
make a form stale; being keyed, it tells nothing about values the reader cannot see.

Forms carry the version in a hidden field (:class:`VersionField`, required: a form without it is refused
too); the API takes ``If-Match`` (optional, so that clients written before keep working; documented in
docs/concurrency.md) and answers ``412`` with the changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

SALT = "ownpath.concurrency"


def _plain(value: Any) -> str:
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_plain(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_plain(v)}" for k, v in sorted(value.items())) + "}"
    return f"{type(value).__name__}:{value}"


def _stored(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)
    if field.many_to_many:
        return sorted((instance.pk and getattr(instance, name).values_list("pk", flat=True)) or [])
    return getattr(instance, name)


def version_of(instance: models.Model, fields: Iterable[str], extra: Any = None) -> str:
    """The version of ``instance`` as far as ``fields`` (and ``extra``, e.g. a person's languages) go."""
    parts = [f"{instance._meta.label_lower}:{instance.pk}"]
    parts += [f"{name}={_plain(_stored(instance, name))}" for name in sorted(fields)]
    if extra is not None:
        parts.append(f"extra={_plain(extra)}")
    return salted_hmac(SALT, "|".join(parts), algorithm="sha256").hexdigest()[:32]


def parse_if_match(header: str | None) -> str | None:
    """The version in an ``If-Match`` header (quotes and a weak prefix taken off); None when absent."""
    if not header:
        return None
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip().strip('"') or None


class StaleEdit(ValidationError):
    """Someone else saved the record after this editor read it. ``changes`` lists (label, stored, sent);
    ``version`` is the record's version now, to save again once the editor has looked."""

    def __init__(self, changes: list[tuple[str, str, str]], version: str, last_saved_by: str = "") -> None:
        self.changes = changes
        self.version = version
        self.last_saved_by = last_saved_by
        listed = "; ".join(
            _("%(field)s is now “%(stored)s” (you sent “%(sent)s”)") % {"field": f, "stored": s, "sent": y}
            for f, s, y in changes
        )
        message = _(
            "Someone else saved this record while you were editing it, so nothing of yours was saved."
            " Check their changes and save again."
        )
        if last_saved_by:
            message += " " + _("Last saved by %(who)s.") % {"who": last_saved_by}
        if listed:
            message += " " + listed
        super().__init__(message, code="stale")

    def as_details(self) -> list[dict[str, str]]:
        return [{"field": f, "stored": s, "sent": y} for f, s, y in self.changes]


def _display(instance: models.Model, name: str, value: Any) -> str:
    field: Any
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # an extra part (languages) has no model field
        field = None
    if value in (None, ""):
        return "—"
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _label(instance: models.Model, name: str) -> str:
    try:
        field: Any = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def check_version(
    instance: models.Model,
    expected: str | None,
    fields: Iterable[str],
    *,
    submitted: Mapping[str, Any] | None = None,
    extra: Any = None,
    extra_label: str = "",
    extra_submitted: Any = None,
) -> None:
    """Raise :class:`StaleEdit` when ``instance`` (read now, inside the save's transaction, under a row lock)
    is no longer the version ``expected``. ``expected`` None means the caller sent no version (an API
    client without ``If-Match``): nothing is checked."""
    if expected is None:
        return
    fields = list(fields)
    current = version_of(instance, fields, extra)
    if current == expected:
        return
    submitted = submitted or {}
    changes = []
    for name in fields:
        if name not in submitted:
            continue
        stored, sent = _stored(instance, name), submitted[name]
        if isinstance(sent, models.Model):
            sent = sent.pk
        if _plain(stored) != _plain(sent):
            shown_stored = (
                getattr(instance, name) if isinstance(instance._meta.get_field(name), models.ForeignKey) else stored
            )
            shown_sent = submitted[name]
            changes.append(
                (_label(instance, name), _display(instance, name, shown_stored), _display(instance, name, shown_sent))
            )
    if extra is not None and extra_submitted is not None and _plain(extra) != _plain(extra_submitted):
        changes.append((extra_label, _display(instance, "", extra), _display(instance, "", extra_submitted)))
    raise StaleEdit(changes, current, last_saved_by=_last_saved_by(instance))


def _last_saved_by(instance: models.Model) -> str:
    from ownpath.core.choices import AuditAction
    from ownpath.core.models import AuditEvent

    event = (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type=instance._meta.label_lower, object_id=str(instance.pk)
        )
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return ""
    from django.utils import formats, timezone

    return f"{event.actor_label}, {formats.date_format(timezone.localtime(event.at), 'SHORT_DATETIME_FORMAT')}"


class VersionField(forms.CharField):
    """The hidden version of the record a form edits; required, so a form without it is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault(
            "error_messages", {"required": _("This form is out of date. Open the record again and redo your changes.")}
        )
        super().__init__(**kwargs)


def versioned(form: forms.BaseForm, version: str) -> forms.BaseForm:
    """Add the hidden version to ``form`` (any form), initial ``version``; returns the form."""
    form.fields["version"] = VersionField(initial=version)
    return form


def refresh_version(form: forms.BaseForm, error: ValidationError) -> None:
    """After a :class:`StaleEdit`, the form carries the record's version now, so that saving again after
    looking at the other person's changes is possible (and deliberate)."""
    if isinstance(error, StaleEdit) and "version" in form.fields and form.is_bound:
        posted: Any = form.data  # a QueryDict (or a dict) of the posted values
        data = posted.copy()
        data[form.add_prefix("version")] = error.version
        form.data = data


# --- One way for every edit form and PATCH -------------------------------------------------------------
#
# A view that edits a record calls ``version_form(form, record)`` before it validates (the form gets the
# hidden version of the fields it edits, as stored) and saves inside ``form_unchanged(form, record)``: the
# row is locked, the posted version compared with what is stored now, and the service runs in the same
# transaction (a stale save raises StaleEdit before anything is written). An API PATCH saves inside
# ``core.api.unchanged_since_read(request, record, fields)`` (If-Match required, 428 without it).
# tests/test_concurrency_everywhere.py fails for an edit route or PATCH operation that does neither.

_FIELDS_ATTR = "_ownpath_version_fields"


def edit_fields(instance: models.Model, names: Iterable[str]) -> list[str]:
    """Of ``names`` (a form's or a schema's fields), those that are fields of ``instance``'s model."""
    known = {f.name for f in instance._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many}
    return sorted({n for n in names if n in known and n != "version"})


def version_form(
    form: forms.BaseForm,
    instance: models.Model | None,
    fields: Iterable[str] | None = None,
    *,
    extra: Callable[[Any], Any] | None = None,
) -> list[str]:
    """Give ``form`` the hidden version of ``instance`` over ``fields`` (by default the form's fields that
    are model fields) and ``extra(instance)`` (what the form edits outside the row: texts, related rows).
    Call it before ``is_valid`` (a ModelForm writes the posted values into its instance). A new record
    (no ``pk``) has nothing to be stale against: no version is added."""
    if instance is None or instance.pk is None:
        return []
    chosen = list(fields) if fields is not None else edit_fields(instance, form.fields)
    stored = type(instance)._base_manager.get(pk=instance.pk)
    versioned(form, version_of(stored, chosen, extra(stored) if extra else None))
    setattr(form, _FIELDS_ATTR, (chosen, extra))
    return chosen


def _plain_submitted(values: Mapping[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, models.QuerySet):
            value = sorted(value.values_list("pk", flat=True))
        elif isinstance(value, list | tuple) and value and all(isinstance(v, models.Model) for v in value):
            value = sorted(v.pk for v in value)
        plain[name] = value
    return plain


@contextmanager
def unchanged_since(
    instance: models.Model,
    expected: str | None,
    fields: Iterable[str],
    *,
    submitted: Mapping[str, Any] | None = None,
    extra: Callable[[Any], Any] | None = None,
) -> Iterator[models.Model]:
    """A transaction in which ``instance``'s row is locked and known to be still the version ``expected``
    (StaleEdit otherwise, before anything is written); yields the row as stored. ``expected`` None or empty
    is refused too: a caller that may skip the check (``If-Match: *``) does not enter this block."""
    with transaction.atomic():
        stored = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        check_version(
            stored,
            expected or "",
            list(fields),
            submitted=_plain_submitted(submitted or {}),
            extra=extra(stored) if extra else None,
        )
        yield stored


@contextmanager
def form_unchanged(
    form: forms.BaseForm, instance: models.Model | None, submitted: Mapping[str, Any] | None = None
) -> Iterator[Any]:
    """Save ``form``'s record inside this block: refused with StaleEdit when the record changed since the
    form was shown (the version ``version_form`` put in it), listing the fields whose stored value differs
    from ``submitted`` (by default the form's cleaned values). A new record: just a transaction."""
    if instance is None or instance.pk is None:
        with transaction.atomic():
            yield instance
        return
    chosen = getattr(form, _FIELDS_ATTR, None)
    if chosen is None:
        raise RuntimeError("form_unchanged needs version_form(form, instance) first")
    fields, extra = chosen
    cleaned = getattr(form, "cleaned_data", {}) or {}
    sent = cleaned if submitted is None else submitted
    with unchanged_since(instance, cleaned.get("version"), fields, submitted=sent, extra=extra) as stored:
        yield stored
