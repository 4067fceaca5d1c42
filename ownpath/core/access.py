"""Who may do what: roles per organisation, and the organisations that may see a person.

Permission predicates live in ``ownpath/core/rules.py``; this module holds the role sets they use and the
look-ups, cached on the user object for the length of a request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
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


# Facts about the signed-in user that every page's frame or menu asks (an own record, unread notices, being a
# mentor): SQL expressions on the user's id (``OuterRef(ref)``), read in the same query as the memberships.
# Modules add theirs with ``add_user_flag`` (in their AppConfig.ready).
USER_FLAGS: dict[str, Callable[[str], Any]] = {}


def add_user_flag(name: str, expression: Callable[[str], Any]) -> None:
    USER_FLAGS[name] = expression


def _core_flags() -> None:
    from ownpath.core.models import Notification, Person

    USER_FLAGS.setdefault("own_record", lambda ref: Exists(Person.objects.filter(account_id=OuterRef(ref))))
    USER_FLAGS.setdefault(
        "unread",
        lambda ref: Coalesce(
            Subquery(
                Notification.objects.filter(user_id=OuterRef(ref), read_at__isnull=True)
                .order_by()
                .values("user_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            Value(0),
        ),
    )


def _load(user: Any) -> None:
    """One query: the user's active memberships with their organisations, and the user flags."""
    from ownpath.core.models import Membership, Organisation, User

    _core_flags()
    roles: dict[int, set[str]] = {}
    organisations: dict[int, Organisation] = {}
    flags: dict[str, Any] | None = None
    rows = (
        Membership.objects.filter(user_id=user.pk, is_active=True)
        .select_related("organisation")
        .annotate(**{f"flag_{name}": expression("user_id") for name, expression in USER_FLAGS.items()})
    )
    for membership in rows:
        roles.setdefault(membership.organisation_id, set()).add(membership.role)
        organisations[membership.organisation_id] = membership.organisation
        flags = {name: getattr(membership, f"flag_{name}") for name in USER_FLAGS}
    if flags is None:  # no membership: a person's own account
        flags = dict(
            User.objects.filter(pk=user.pk)
            .values(**{name: expression("pk") for name, expression in USER_FLAGS.items()})
            .first()
            or {}
        )
    user._ownpath_roles = roles
    user._ownpath_organisations = organisations
    user._ownpath_flags = flags
    if not (user.is_staff or user.is_superuser) and not hasattr(user, "_perm_cache"):
        # Django's model permissions serve its admin, which only is_staff accounts open; everyone else's
        # rights are the rules on roles above. Said here, ModelBackend does not look them up (two queries
        # on every page whose menu holds an item the user may not open).
        user._user_perm_cache = user._group_perm_cache = user._perm_cache = set()


def roles_by_organisation(user: Any) -> dict[int, set[str]]:
    """The active roles of ``user`` in each organisation, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if getattr(user, "_ownpath_roles", None) is None:
        _load(user)
    return user._ownpath_roles  # type: ignore[no-any-return]


def organisations_of(user: Any) -> list[Any]:
    """The organisations ``user`` has an active membership of, by name (from the memberships' query)."""
    roles_by_organisation(user)
    found = getattr(user, "_ownpath_organisations", {})
    return sorted(found.values(), key=lambda o: (o.name, o.pk))


def user_flag(user: Any, name: str, default: Any = None) -> Any:
    """A fact of ``USER_FLAGS`` about the signed-in ``user`` (``default`` for anonymous users or unknown names)."""
    if not getattr(user, "is_authenticated", False):
        return default
    if getattr(user, "_ownpath_flags", None) is None:
        _load(user)
    return user._ownpath_flags.get(name, default)


def forget_user(user: Any) -> None:
    """Drop what was memoised on ``user`` (after its memberships or notifications changed)."""
    for name in ("_ownpath_roles", "_ownpath_organisations", "_ownpath_flags", "_ownpath_staff_account"):
        if hasattr(user, name):
            delattr(user, name)


def roles_at(user: Any, organisation_id: int | None) -> set[str]:
    """The active roles of ``user`` in one organisation (none for ``None``)."""
    return roles_by_organisation(user).get(organisation_id or 0, set())


def is_staff_account(user: Any) -> bool:
    """A staff sign-in (Django staff or superuser, or a membership of an organisation, active or ended), as
    opposed to a person's own account (``Person.account``): staff need a second factor and never use codes."""
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_ownpath_staff_account", None)
    if cached is None:
        cached = bool(roles_by_organisation(user)) or user.memberships.exists()
        user._ownpath_staff_account = cached
    return bool(cached)


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
    """The holder of a person's record and the organisations it is shared with under an active consent.

    Asked once per person object: every permission rule of a request reads the same answer (a page checks
    a dozen rules on one person). Services that share, end a share or withdraw a consent call ``forget``.
    """
    cached = person.__dict__.get("_ownpath_access_orgs")
    if cached is None:
        now = timezone.now()
        shared = person.shares.filter(consent__withdrawn_at__isnull=True).filter(
            Q(consent__expires_at__isnull=True) | Q(consent__expires_at__gt=now)
        )
        cached = frozenset({person.organisation_id, *shared.values_list("organisation_id", flat=True)})
        person.__dict__["_ownpath_access_orgs"] = cached
    return set(cached)


def forget(person: Person | None) -> None:
    """Drop the access decisions memoised on ``person`` (after its shares or consents changed)."""
    if person is not None:
        person.__dict__.pop("_ownpath_access_orgs", None)
        person.__dict__.pop("_ownpath_scopes", None)


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
