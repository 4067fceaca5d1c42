from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from ownpath.core import access
from ownpath.core.registry import registry


def ownpath(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    menu = []
    unread = 0
    organisations: list[Any] = []
    active_org_id = None
    if user is None or not user.is_authenticated:
        menu = [item for item in registry.menu_items if item.permission is None]  # public pages
    if user is not None and user.is_authenticated:
        menu = [item for item in registry.menu_items if item.permission is None or user.has_perm(item.permission)]
        unread = user.notifications.filter(read_at__isnull=True).count()
        from ownpath.core.models import Organisation

        organisations = list(Organisation.objects.filter(pk__in=access.roles_by_organisation(user)))
        if len(organisations) > 1:
            from ownpath.core.selectors import active_organisation

            active = active_organisation(user, request.session)
            active_org_id = active.pk if active else None
    return {
        "ownpath_menu": menu,
        "ownpath_unread": unread,
        "ownpath_organisations": organisations,
        "ownpath_active_org_id": active_org_id,
        # Staff work for an organisation; a person with their own account sees neither search nor tokens.
        "ownpath_staff": bool(organisations),
        "ownpath_rtl": get_language_bidi(),
        "ownpath_languages": settings.LANGUAGES,
        "ownpath_demo": settings.OWNPATH_DEMO,
    }
