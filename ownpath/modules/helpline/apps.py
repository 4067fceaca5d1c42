from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import ApiRouter, DashboardWidget, Event, MenuItem, ModuleConfig, RetentionPolicy


class HelplineConfig(ModuleConfig):
    """The foreign-language helpline: contacts, crisis protocol, knowledge base, hand-over, web chat."""

    name = "ownpath.modules.helpline"
    label = "helpline"
    verbose_name = _("Helpline")
    default = True
    requires = ()

    def ready(self) -> None:
        from ownpath.modules.helpline import rules  # noqa: F401  (registers the permissions)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(
                _("Chat with the helpline"),
                "helpline:chat_start",
                None,
                order=5,
                icon="message-circle",
                hint=_("Write to us in your language and get an answer"),
            ),
            MenuItem(_("Helpline"), "helpline:console", "helpline.work", order=6, group="helpline"),
            MenuItem(_("Knowledge base"), "helpline:articles", "helpline.work", order=7, group="helpline"),
        )

    def dashboard_widgets(self) -> Iterable[DashboardWidget]:
        from ownpath.modules.helpline import views

        return (
            DashboardWidget(
                "helpline_now",
                _("Helpline: on duty now"),
                "helpline/widget.html",
                "helpline.work",
                views.widget_context,
                order=15,
            ),
        )

    def api_router(self) -> ApiRouter | None:
        return ApiRouter("helpline", "ownpath.modules.helpline.api.router")

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.helpline.rules import PERMISSIONS

        return PERMISSIONS

    def events(self) -> Iterable[Event]:
        from ownpath.modules.helpline.events import EVENTS

        return EVENTS

    def event_handlers(self) -> Mapping[str, Iterable[Callable[..., None]]]:
        from ownpath.core import events
        from ownpath.modules.helpline import services

        return {events.HANDOVER_ANSWERED: (services.handover_answered,)}

    def retention_policies(self) -> Iterable[RetentionPolicy]:
        days = settings.OWNPATH_HELPLINE_RETENTION_DAYS
        return (
            RetentionPolicy(
                "helpline_contact_details",
                _("Identifying details of helpline contacts (notes, caller hash, chat messages)"),
                "helpline.Contact",
                "started_at",
                days,
                {"details_erased_at__isnull": True},
                scrub="ownpath.modules.helpline.services.scrub_contacts",
            ),
            RetentionPolicy(
                "helpline_callback_numbers",
                _("Phone numbers of helpline callbacks"),
                "helpline.Callback",
                "created_at",
                days,
                {"details_erased_at__isnull": True},
                scrub="ownpath.modules.helpline.services.scrub_callbacks",
            ),
            RetentionPolicy(
                "helpline_unanswered_chats",
                _("Web chats no operator took"),
                "helpline.Chat",
                "started_at",
                days,
                {"contact__isnull": True},
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.helpline.demo import load

        return load
