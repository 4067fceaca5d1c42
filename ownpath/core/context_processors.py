from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_bidi

from ownpath.core import access
from ownpath.core.registry import MENU_GROUPS, MenuItem, registry


def _staff_menu(items: list[MenuItem]) -> list[tuple[Any, list[MenuItem]]]:
    """The staff pages a user may open, grouped by purpose in the order of MENU_GROUPS; empty groups left out."""
    return [(label, grouped) for key, label in MENU_GROUPS.items() if (grouped := [i for i in items if i.group == key])]


def _portal_url() -> str | None:
    try:
        return reverse("portal:home")
    except NoReverseMatch:  # the portal module is not enabled
        return None


def ownpath(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs; worked out once per request (a page rendered from parts, such as the
    person page and its tab, runs the context processors for each part)."""
    cached: dict[str, Any] | None = getattr(request, "_ownpath_context", None)
    if cached is None:
        cached = _frame(request)
        request._ownpath_context = cached  # type: ignore[attr-defined]
    return {**cached, "ownpath_rtl": get_language_bidi()}


def _frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    menu: list[MenuItem] = [item for item in registry.menu_items if item.permission is None]  # public pages
    staff_menu: list[tuple[Any, list[MenuItem]]] = []
    unread = 0
    organisations: list[Any] = []
    active_org: Any = None
    if user is not None and user.is_authenticated:
        allowed = [item for item in registry.menu_items if item.permission and user.has_perm(item.permission)]
        unread = access.user_flag(user, "unread", 0)  # read with the memberships: no query of its own
        organisations = access.organisations_of(user)
        if organisations:
            staff_menu = _staff_menu(allowed)
            active_org = organisations[0]
        if len(organisations) > 1:
            from ownpath.core.selectors import acting_organisation

            active_org = acting_organisation(user, request.session)
        # A person's own pages (their path) sit beside the public ones, before them.
        menu = [item for item in allowed if item.group == "own"] + menu
    return {
        # The portal's navigation: public pages and a person's own; never a staff page.
        "ownpath_menu": menu,
        "ownpath_portal_url": _portal_url(),
        "ownpath_staff_menu": staff_menu,
        "ownpath_active_org": active_org,
        "ownpath_unread": unread,
        "ownpath_organisations": organisations,
        "ownpath_active_org_id": active_org.pk if active_org else None,
        # Staff work for an organisation; a person with their own account sees neither search nor tokens.
        "ownpath_staff": bool(organisations),
        "ownpath_languages": settings.LANGUAGES,
        "ownpath_demo": settings.OWNPATH_DEMO,
    }
