"""Writes to people's records: create, update, notes, needs, languages; and the duplicate search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ownpath.core import access, events
from ownpath.core.choices import AuditAction, Channel, SensitiveGroup
from ownpath.core.concurrency import check_version, version_of
from ownpath.core.models import (
    Need,
    Organisation,
    Person,
    PersonLanguage,
    PersonNameKey,
    PersonNote,
    Qualification,
    WorkExperience,
)
from ownpath.core.names import NameQuery, detect_script, name_keys, name_token_keys, similarity, to_latin
from ownpath.core.services import audit

# Both names found, birth date unknown: 0.83; one name only resembling, same birth date: 0.81;
# one name resembling, date unknown: 0.65 (not shown); given name alone: 0.46 (not shown).
DUPLICATE_THRESHOLD = 0.7
NAME_FIELDS = ("given_name", "family_name", "given_name_native", "family_name_native")
PERSON_FIELDS = (
    *NAME_FIELDS,
    "birth_date",
    "sex",
    "citizenships",
    "email",
    "phone",
    "city",
    "preferred_language",
    "residence_status",
    "residence_document",
    "residence_expires",
    "education_level",
    "household_adults",
    "household_children",
    "youngest_child_birth_year",
    "assigned_counsellor",
)


def birth_date_problem(birth: date | None) -> str | None:
    """Why ``birth`` cannot be a living client's birth date, or None when it can."""
    if birth is None:
        return None
    today = timezone.localdate()
    if birth > today:
        return _("The birth date cannot be in the future.")
    if birth.year < today.year - 120:
        return _("Enter a birth date in the past 120 years.")
    return None


def _check_person_dates(values: Mapping[str, Any]) -> None:
    birth = values.get("birth_date")
    problem = birth_date_problem(birth) if isinstance(birth, date) else None
    if problem:
        raise ValidationError({"birth_date": problem})


def check_languages(languages: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The languages a person speaks, each once, with a known code and level; ``ValidationError`` otherwise."""
    from ownpath.core.choices import CEFRLevel
    from ownpath.core.languages import LANGUAGE_CODES

    pairs = [(str(code), str(level)) for code, level in languages]
    codes = [code for code, _level in pairs]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ValidationError(
            {
                "languages": _("Each language can be listed once; more than once: %(codes)s.")
                % {"codes": ", ".join(twice)}
            },
            code="duplicate",
        )
    unknown = [code for code in codes if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)}})
    if any(level not in CEFRLevel.values for _code, level in pairs):
        raise ValidationError({"languages": _("Choose a level for each language.")})
    return pairs


def fill_latin_names(values: dict[str, Any]) -> None:
    """If only the native script was given, propose the Latin transliteration."""
    for latin, native in (("given_name", "given_name_native"), ("family_name", "family_name_native")):
        if not (values.get(latin) or "").strip() and (values.get(native) or "").strip():
            values[latin] = to_latin(values[native])


def _index_names(person: Person) -> None:
    keys = name_keys(*(getattr(person, f) for f in NAME_FIELDS))
    PersonNameKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    PersonNameKey.objects.bulk_create([PersonNameKey(person=person, key=k) for k in keys - existing])


class PossibleDuplicates(ValidationError):
    """``create_person`` refused: people who may be the one described are already on record. ``found``
    holds them (those the actor may open, and how many more are held elsewhere); nothing was saved.
    The caller shows them (and audits that read) and asks whether this is a different person."""

    def __init__(self, found: DuplicateSearch) -> None:
        super().__init__(
            _(
                "This person may already be registered. Open the record below, or confirm that this is a different person."
            ),
            code="possible_duplicate",
        )
        self.found = found


def duplicates_for_values(actor: Any, values: Mapping[str, Any]) -> DuplicateSearch:
    """The duplicate check of a new record's values (names in both scripts and the birth date)."""
    return find_duplicates(
        actor,
        f"{values.get('given_name') or ''} {values.get('family_name') or ''}",
        f"{values.get('given_name_native') or ''} {values.get('family_name_native') or ''}",
        birth_date=values.get("birth_date") if isinstance(values.get("birth_date"), date) else None,
    )


@transaction.atomic
def create_person(
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    *,
    languages: Iterable[tuple[str, str]] = (),
    channel: Channel = Channel.UI,
    confirm_new: bool = False,
) -> Person:
    """Open a record. Every way of creating a person comes here, and here the duplicate check runs: when
    someone who may be the same person is on record (in any script or spelling), ``PossibleDuplicates``
    is raised and nothing is saved, unless the caller has shown the candidates and the user confirmed
    that this is a different person (``confirm_new``)."""
    roles = access.roles_at(actor, organisation.pk)
    if not roles & access.CASEWORK_ROLES:
        raise PermissionDenied(_("You cannot add people to this organisation."))
    languages = check_languages(languages)
    data = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    fill_latin_names(data)
    if not (data.get("given_name") or "").strip() or not (data.get("family_name") or "").strip():
        raise ValidationError(_("Enter the given and family name in Latin letters or in the native script."))
    _check_person_dates(data)
    if not confirm_new:
        found = duplicates_for_values(actor, data)
        if found.visible or found.hidden_count:
            raise PossibleDuplicates(found)
    native = f"{data.get('given_name_native', '')} {data.get('family_name_native', '')}".strip()
    person = Person(
        organisation=organisation,
        created_by=actor,
        native_script=detect_script(native) if native else "Latn",
        **data,
    )
    person.full_clean(exclude=["assigned_counsellor"])
    person.save()
    for language, level in languages:
        PersonLanguage.objects.create(person=person, language=language, level=level)
    _index_names(person)
    audit.record(
        actor,
        AuditAction.CREATE,
        channel=channel,
        person=person,
        purpose="casework",
        fields=data.keys(),
        detail={"duplicate_check": "confirmed_new" if confirm_new else "none_found"},
    )
    events.publish(events.PERSON_CREATED, person_id=person.pk, organisation_id=organisation.pk, actor_id=actor.pk)
    return person


def _languages_of(person: Person) -> list[tuple[str, str]]:
    return sorted(PersonLanguage.objects.filter(person=person).values_list("language", "level"))


def person_version(person: Person) -> str:
    """The version of the fields an editor changes (``core.concurrency``): the record and its languages."""
    return version_of(person, PERSON_FIELDS, extra=_languages_of(person))


@transaction.atomic
def update_person(
    actor: Any,
    person: Person,
    values: Mapping[str, Any],
    *,
    channel: Channel = Channel.UI,
    languages: Iterable[tuple[str, str]] | None = None,
    expected_version: str | None = None,
) -> Person:
    """Change a person (and, with ``languages``, their languages). With ``expected_version`` (the edit
    form's, or the API's ``If-Match``) a save made from a record someone else has changed since is refused
    with ``StaleEdit``, and nothing is written."""
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))
    if expected_version is not None:
        locked = Person.objects.select_for_update().get(pk=person.pk)
        wanted = sorted(dict(languages).items()) if languages is not None else None
        check_version(
            locked,
            expected_version,
            PERSON_FIELDS,
            submitted=values,
            extra=_languages_of(locked),
            extra_label=str(_("Languages")),
            extra_submitted=wanted,
        )
    if languages is not None:
        set_languages(actor, person, languages, channel=channel)
    changed = [k for k, v in values.items() if k in PERSON_FIELDS and getattr(person, k) != v]
    if not changed:
        return person
    data = {k: values[k] for k in changed}
    _check_person_dates(data)
    for key, value in data.items():
        setattr(person, key, value)
    person.last_activity_at = timezone.now()
    person.full_clean(exclude=["assigned_counsellor"])
    person.save()
    if set(changed) & set(NAME_FIELDS):
        _index_names(person)
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, purpose="casework", fields=changed)
    events.publish(events.PERSON_UPDATED, person_id=person.pk, fields=changed, actor_id=actor.pk)
    return person


@transaction.atomic
def set_languages(actor: Any, person: Person, languages: Iterable[tuple[str, str]], *, channel: Channel) -> None:
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))
    wanted = dict(check_languages(languages))
    before = dict(PersonLanguage.objects.filter(person=person).values_list("language", "level"))
    PersonLanguage.objects.filter(person=person).exclude(language__in=wanted).delete()
    for language, level in wanted.items():
        PersonLanguage.objects.update_or_create(person=person, language=language, defaults={"level": level})
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, purpose="casework", fields=["languages"])
    for language, level in wanted.items():
        steps = cefr_steps(before.get(language), level)
        if steps:
            events.publish(events.LANGUAGE_LEVEL_CHANGED, person_id=person.pk, organisation_id=person.organisation_id,
                           language=language, steps=steps)  # fmt: skip


def add_languages(actor: Any, person: Person, languages: Iterable[tuple[str, str]], *, channel: Channel) -> None:
    """Add languages (or change their level) and keep the others: an import adds to what is recorded.

    Goes through :func:`set_languages`, so a level gained is a ``core.language_level_changed`` event and the
    audit names the field."""
    merged = dict(PersonLanguage.objects.filter(person=person).values_list("language", "level"))
    merged.update(dict(languages))
    set_languages(actor, person, merged.items(), channel=channel)


def touch_activity(person: Person) -> None:
    """Note that someone worked on the person's case now (the caseload sorts and flags by it)."""
    Person.objects.filter(pk=person.pk).update(last_activity_at=timezone.now())


CEFR_ORDER = ["none", "A1", "A2", "B1", "B2", "C1", "C2"]


def cefr_steps(before: str | None, after: str) -> int:
    """CEFR levels gained (negative when lost); 0 when either side is not on the scale (native, unknown)."""
    if before is None:
        before = "none"
    if before not in CEFR_ORDER or after not in CEFR_ORDER:
        return 0
    return CEFR_ORDER.index(after) - CEFR_ORDER.index(before)


@transaction.atomic
def add_note(
    actor: Any, person: Person, group: SensitiveGroup | str, body: str, *, organisation: Organisation, channel: Channel
) -> PersonNote:
    if not actor.has_perm("core.add_note", person):
        raise PermissionDenied(_("You cannot add notes to this record."))
    if group != SensitiveGroup.GENERAL and not access.can_read_group(actor, person, group):
        raise PermissionDenied(_("Your role cannot write notes of this sensitivity."))
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    note = PersonNote.objects.create(person=person, author=actor, organisation=organisation, group=group, body=body)
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=note, fields=[f"note:{group}"])
    return note


@transaction.atomic
def add_background(actor: Any, person: Person, record: Qualification | WorkExperience, *, channel: Channel) -> Any:
    """Add a qualification or a work experience, validated, to ``person``'s record."""
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))
    record.person = person
    record.full_clean()
    record.save()
    audit.record(
        actor, AuditAction.CREATE, channel=channel, person=person, obj=record, fields=[record._meta.model_name or ""]
    )
    return record


@transaction.atomic
def add_need(actor: Any, person: Person, kind: str, details: str, *, channel: Channel) -> Need:
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))
    need = Need(person=person, kind=kind, details=details)
    need.full_clean()
    need.save()
    audit.record(actor, AuditAction.CREATE, channel=channel, person=person, obj=need, fields=[f"need:{kind}"])
    return need


@dataclass(frozen=True)
class DuplicateCandidate:
    person: Person
    score: float


@dataclass(frozen=True)
class DuplicateSearch:
    """Possible matches: those the user may open, and how many more are held where they may not look."""

    visible: list[DuplicateCandidate]
    hidden_count: int


MAX_CANDIDATES = 200


def _candidates(keys: set[str], birth_date: date | None) -> set[int]:
    """Ids worth scoring: those sharing the most name keys, and every one born that day (or day/month swapped).

    Common names match thousands of records in a national register; ranking by the number of shared keys
    and adding the birth-date matches keeps the likely ones without scoring everyone.
    """
    # One-letter keys ("Ali", "Layla", the article "al") are shared by a good part of a register: they
    # are scored, but they do not choose the candidates unless nothing else is known.
    telling = {key for key in keys if len(key) > 1} or keys
    # Erasure deletes a person's keys, so every key found belongs to a live record.
    matching = PersonNameKey.objects.filter(key__in=telling)
    # COUNT(*) lets PostgreSQL answer from the (key, person) index alone, without reading the table.
    ranked = matching.values("person_id").annotate(shared=Count("*")).order_by("-shared", "person_id")[:MAX_CANDIDATES]
    ids = {row["person_id"] for row in ranked}
    if birth_date is not None:
        days = [birth_date]
        if birth_date.day <= 12 and birth_date.day != birth_date.month:
            days.append(birth_date.replace(month=birth_date.day, day=birth_date.month))
        ids |= set(
            matching.filter(person__birth_date__in=days).values_list("person_id", flat=True).distinct()[:MAX_CANDIDATES]
        )
    return ids


def find_duplicates(actor: Any, *names: str, birth_date: date | None = None, limit: int = 10) -> DuplicateSearch:
    """Search-before-create: people who may be the one described, across scripts and spellings."""
    query = NameQuery.of(*[n for n in names if n], birth_date=birth_date)
    keys = query.all_keys()
    if not keys:
        return DuplicateSearch([], 0)
    candidate_ids = _candidates(keys, birth_date)
    # The candidates' words are keyed apart (from their names, a few hundred at most) so that each word
    # of the query meets a different word of the candidate.
    rows = Person.objects.filter(pk__in=candidate_ids).values_list("pk", "birth_date", *NAME_FIELDS)
    scored = sorted(
        ((similarity(query, name_token_keys(*(n or "" for n in names)), born), pid) for pid, born, *names in rows),
        reverse=True,
    )
    matches = [(score, pid) for score, pid in scored if score >= DUPLICATE_THRESHOLD]
    visible_ids = set(
        Person.objects.filter(access.people_visible_to(actor), pk__in=[pid for _, pid in matches]).values_list(
            "pk", flat=True
        )
    )
    people = Person.objects.in_bulk(visible_ids)
    visible = [DuplicateCandidate(people[pid], score) for score, pid in matches if pid in visible_ids][:limit]
    return DuplicateSearch(visible, len(matches) - len(visible_ids))


def is_name_of(person: Person, name: str) -> bool:
    """Whether ``name``, in any script or spelling, is the name on ``person``'s record (the duplicate
    check's name score, the birth date left out): a CV or a form in someone else's name is noticed."""
    names = (getattr(person, f) or "" for f in NAME_FIELDS)
    return similarity(NameQuery.of(name), name_token_keys(*names), None) >= DUPLICATE_THRESHOLD


@transaction.atomic
def link_account(actor: Any, person: Person, user: Any, *, channel: Channel = Channel.UI) -> Person:
    """Give ``person`` their own sign-in (``user``), after a counsellor has checked who it is."""
    if not actor.has_perm("core.change_person", person):
        raise PermissionDenied(_("You cannot change this record."))
    if access.is_staff_account(user):
        raise ValidationError(_("A staff account cannot be a person's own account."))
    if person.account_id not in (None, user.pk):
        raise ValidationError(_("This person already has another account."))
    if Person.objects.filter(account=user).exclude(pk=person.pk).exists():
        raise ValidationError(_("This account already belongs to another person."))
    person.account = user
    person.save(update_fields=["account"])
    audit.record(actor, AuditAction.UPDATE, channel=channel, person=person, purpose="casework", fields=["account"])
    return person
