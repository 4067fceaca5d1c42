"""Who may do what: roles per organisation, and the organisations that may see a person.

Permission predicates live in ``ownpath/core/rules.py``; this module holds the role sets they use and the
look-ups, cached on the user object for the length of a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from ownpath.core.choices import ALL_SCOPES, Role, SensitiveGroup

if TYPE_CHECKING:
    from ownpath.core.models import Person

# Roles that work with clients' records.
CASEWORK_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.COUNSELLOR,
        Role.PSYCHOLOGIST,
        Role.LEGAL_ADVISER,
        Role.CULTURAL_MEDIATOR,
        Role.HELPLINE_OPERATOR,
        Role.MENTORING_COORDINATOR,
    }
)
# Roles that may change the record held by their own organisation.
EDITOR_ROLES = frozenset({Role.ORG_ADMIN, Role.COUNSELLOR, Role.PSYCHOLOGIST, Role.LEGAL_ADVISER})
# Who may read each sensitive group (besides the author of a note).
GROUP_READERS: dict[str, frozenset[str]] = {
    SensitiveGroup.GENERAL: CASEWORK_ROLES,
    SensitiveGroup.HEALTH: frozenset({Role.COUNSELLOR, Role.PSYCHOLOGIST}),
    SensitiveGroup.PSYCHOLOGICAL: frozenset({Role.PSYCHOLOGIST}),
    SensitiveGroup.LEGAL: frozenset({Role.LEGAL_ADVISER}),
}


def roles_by_organisation(user: Any) -> dict[int, set[str]]:
    """The active roles of ``user`` in each organisation, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_ownpath_roles", None)
    if cached is None:
        cached = {}
        for org_id, role in user.memberships.filter(is_active=True).values_list("organisation_id", "role"):
            cached.setdefault(org_id, set()).add(role)
        user._ownpath_roles = cached
    return cached


def roles_at(user: Any, organisation_id: int | None) -> set[str]:
    """The active roles of ``user`` in one organisation (none for ``None``)."""
    return roles_by_organisation(user).get(organisation_id or 0, set())


def is_staff_account(user: Any) -> bool:
    """A staff sign-in (Django staff or superuser, or a membership of an organisation, active or ended), as
    opposed to a person's own account (``Person.account``): staff need a second factor and never use codes."""
    return bool(user.is_staff or user.is_superuser or user.memberships.exists())


def organisation_id(organisation: Any) -> int | None:
    """The id of an organisation given as an ``Organisation``, an id or ``None``."""
    if organisation is None or isinstance(organisation, int):
        return organisation
    return getattr(organisation, "pk", None)


def holds_role(user: Any, organisation: Any, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` at ``organisation`` (an ``Organisation`` or its id; ``None``
    for none). The one role check the modules' ``rules`` predicates are built from."""
    org_id = organisation_id(organisation)
    return bool(org_id) and not roles_at(user, org_id).isdisjoint(roles)


def holds_role_somewhere(user: Any, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` at any organisation."""
    wanted = frozenset(roles)
    return any(held & wanted for held in roles_by_organisation(user).values())


def all_roles(user: Any) -> set[str]:
    return set().union(*roles_by_organisation(user).values()) if roles_by_organisation(user) else set()


def organisations_with_roles(user: Any, roles: frozenset[str] | set[str]) -> set[int]:
    return {org for org, held in roles_by_organisation(user).items() if held & roles}


def access_organisations(person: Person) -> set[int]:
    """The holder of a person's record and the organisations it is shared with under an active consent."""
    now = timezone.now()
    shared = person.shares.filter(consent__withdrawn_at__isnull=True).filter(
        Q(consent__expires_at__isnull=True) | Q(consent__expires_at__gt=now)
    )
    return {person.organisation_id, *shared.values_list("organisation_id", flat=True)}


def roles_for_person(user: Any, person: Person) -> set[str]:
    """The roles ``user`` holds in the organisations that may see ``person``."""
    by_org = roles_by_organisation(user)
    if not by_org:
        return set()
    roles: set[str] = set()
    for org in access_organisations(person):
        roles |= by_org.get(org, set())
    return roles


def people_visible_to(user: Any) -> Q:
    """A filter on Person for the records ``user`` may see."""
    orgs = organisations_with_roles(user, CASEWORK_ROLES)
    if not orgs:
        return Q(pk__in=[])
    now = timezone.now()
    return Q(organisation_id__in=orgs) | Q(
        Q(shares__organisation_id__in=orgs, shares__consent__withdrawn_at__isnull=True)
        & (Q(shares__consent__expires_at__isnull=True) | Q(shares__consent__expires_at__gt=now))
    )


def can_read_group(user: Any, person: Person, group: str) -> bool:
    return bool(roles_for_person(user, person) & GROUP_READERS[group])


def scopes_for(user: Any, person: Person) -> frozenset[str]:
    """The parts of ``person``'s record (``DataScope``) that ``user`` may see.

    Staff of the holder see everything; an organisation the record is shared with sees only what the
    active consents behind its shares cover. Cached on the person object for the request.
    """
    cache: dict[int, frozenset[str]] = person.__dict__.setdefault("_ownpath_scopes", {})
    key = getattr(user, "pk", None) or 0
    if key in cache:
        return cache[key]
    by_org = roles_by_organisation(user)
    if by_org.get(person.organisation_id, set()) & CASEWORK_ROLES:
        scopes = ALL_SCOPES
    else:
        orgs = organisations_with_roles(user, CASEWORK_ROLES)
        now = timezone.now()
        found: set[str] = set()
        shares = (
            person.shares.filter(organisation_id__in=orgs, consent__withdrawn_at__isnull=True)
            .filter(Q(consent__expires_at__isnull=True) | Q(consent__expires_at__gt=now))
            .values_list("consent__scope", flat=True)
        )
        for scope in shares:
            found.update(scope or ())
        scopes = frozenset(found)
    cache[key] = scopes
    return scopes
