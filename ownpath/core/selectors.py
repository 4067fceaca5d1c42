"""Reads of core data for views and the API, with the access rules applied."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ownpath.core import access
from ownpath.core.models import AuditEvent, Need, Organisation, Person, PersonNameKey, PersonNote
from ownpath.core.names import NameQuery
from ownpath.core.sensitivity import lens_for


def people_for(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(access.people_visible_to(user), is_anonymised=False).distinct()


def search_people(
    user: Any,
    *,
    query: str = "",
    organisation_id: int | None = None,
    residence_status: str = "",
    citizenship: str = "",
    language: str = "",
    expiring_within_days: int | None = None,
) -> QuerySet[Person]:
    """People the user may see, filtered; the name query also matches other scripts and spellings."""
    from datetime import timedelta

    from django.utils import timezone

    people = people_for(user).select_related("organisation")
    if query.strip():
        text = Q()
        for word in query.split():
            text &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(given_name_native__icontains=word)
                | Q(family_name_native__icontains=word)
            )
        # Every word of the query is found among the person's name keys, in any script or spelling
        # ("Youssef Alhomsi" finds يوسف الحمصي); each word is one lookup on the (key, person) index.
        keyed = Q()
        for keys in NameQuery.of(query).token_keys:
            keyed &= Q(Exists(PersonNameKey.objects.filter(person=OuterRef("pk"), key__in=keys)))
        people = people.filter(text | keyed) if keyed else people.filter(text)
    if organisation_id:
        people = people.filter(organisation_id=organisation_id)
    if residence_status:
        people = people.filter(residence_status=residence_status)
    if citizenship:
        people = people.filter(citizenships__contains=citizenship.upper())
    if language:
        people = people.filter(languages__language=language)
    if expiring_within_days is not None:
        people = people.filter(residence_expires__lte=timezone.localdate() + timedelta(days=expiring_within_days))
    return people


def own_record(user: Any) -> Person | None:
    """The record of the person signed in with their own account (migrants, not staff), if it is linked."""
    if not getattr(user, "pk", None):
        return None
    return Person.objects.filter(account_id=user.pk, is_anonymised=False).first()


def get_person_for(user: Any, person_id: int) -> Person | None:
    return people_for(user).select_related("organisation", "assigned_counsellor").filter(pk=person_id).first()


def notes_for(user: Any, person: Person) -> list[PersonNote]:
    """The notes on ``person`` that ``user`` may read, as the reader's lens decides (``core.sensitivity``):
    their group's readers, and always the author; an organisation the record is shared with reads only
    the notes its own staff wrote."""
    lens = lens_for(user, person)
    notes = PersonNote.objects.filter(person=person).filter(
        Q(group__in=lens.groups) | Q(author_id=getattr(user, "pk", None))
    )
    if not lens.at_holder:
        notes = notes.filter(organisation_id__in=lens.own_organisations)
    found = notes.select_related("author", "organisation")
    return [n for n in found if lens.reads(n.group, author_id=n.author_id, organisation_id=n.organisation_id)]


def needs_for(user: Any, person: Person) -> tuple[list[Need], int]:
    """The needs ``user`` may read, and how many more are hidden from their role."""
    lens = lens_for(user, person)
    needs = list(person.needs.all())
    visible = [n for n in needs if lens.reads(n.sensitive_group)]
    return visible, len(needs) - len(visible)


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit trail an auditor may search: their organisations and those below them."""
    from ownpath.core.choices import Role

    orgs: set[int] = set()
    for org in Organisation.objects.filter(pk__in=access.organisations_with_roles(user, {Role.AUDITOR})):
        orgs |= org.subtree_ids()
    return AuditEvent.objects.filter(organisation_id__in=orgs)


def _header_organisation_id(user: Any, session: Any) -> int | None:
    orgs = access.roles_by_organisation(user)
    chosen = session.get("ownpath_organisation") if session is not None else None
    if chosen in orgs:
        return int(chosen)
    casework = sorted(access.organisations_with_roles(user, access.CASEWORK_ROLES))
    return casework[0] if casework else (min(orgs) if orgs else None)


def acting_organisation(
    user: Any, session: Any = None, *, roles: Iterable[str] | None = None, chosen: int | None = None
) -> Organisation | None:
    """The organisation ``user`` acts for, among those where they hold one of ``roles`` (any role for ``None``).

    ``chosen`` (an API caller names it) when it is one of them, and ``None`` when it is not; otherwise the one
    shown in the header (chosen there, kept in ``session``; else the first casework organisation) when it is one
    of them; otherwise the first of them. ``None`` when there is none. The one answer to "which organisation am
    I acting for" for every module's views and API.
    """
    by_org = access.roles_by_organisation(user)
    candidates = set(by_org) if roles is None else access.organisations_with_roles(user, frozenset(roles))
    if chosen is not None:
        pick: int | None = chosen if chosen in candidates else None
    elif not candidates:
        pick = None
    else:
        header = _header_organisation_id(user, session)
        pick = header if header in candidates else min(candidates)
    if not pick:
        return None
    mine = {o.pk: o for o in access.organisations_of(user)}  # memoised for the request: no query
    return mine.get(pick) or Organisation.objects.filter(pk=pick).first()
