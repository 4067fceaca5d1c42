"""Sign-in policy: no public sign-up, and demo accounts only in a demo deployment."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        if getattr(user, "is_demo", False) and not settings.OWNPATH_DEMO:
            raise PermissionDenied(_("Demo accounts are disabled on this server."))
        return super().pre_login(request, user, **kwargs)
