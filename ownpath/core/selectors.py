"""Reads of core data for views and the API, with the access rules applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ownpath.core import access
from ownpath.core.models import AuditEvent, Need, Organisation, Person, PersonNote
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
        keys = NameQuery.of(query).all_keys()
        text = Q()
        for word in query.split():
            text &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(given_name_native__icontains=word)
                | Q(family_name_native__icontains=word)
            )
        people = people.filter(text | Q(name_keys__key__in=keys)).distinct()
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


def active_organisation(user: Any, session: Any) -> Organisation | None:
    """The organisation the user is acting for now (chosen in the header, else their first)."""
    orgs = {o.pk: o for o in access.organisations_of(user)}  # memoised for the request: no query
    chosen = session.get("ownpath_organisation") if session is not None else None
    if chosen in orgs:
        return orgs[chosen]
    casework = sorted(access.organisations_with_roles(user, access.CASEWORK_ROLES))
    first = casework[0] if casework else (sorted(orgs)[0] if orgs else None)
    return orgs.get(first) if first else None
