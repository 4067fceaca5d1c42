from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import MenuItem, ModuleConfig, PersonalDataProvider


class PortalConfig(ModuleConfig):
    """The public portal for migrants: find and read services in five languages, print leaflets."""

    name = "ownpath.modules.portal"
    label = "portal"
    verbose_name = _("Portal")
    default = True
    requires = ("directory",)

    def menu_items(self) -> Iterable[MenuItem]:
        return (
            MenuItem(
                _("Find services"),
                "portal:finder",
                None,
                order=2,
                icon="search",
                hint=_("Courses, legal advice, diplomas, childcare: near you, in your language"),
            ),
            MenuItem(_("Account requests"), "portal:claims", "core.list_people", order=40),
        )

    def personal_data_providers(self) -> Iterable[PersonalDataProvider]:
        from ownpath.modules.portal import accounts

        return (
            PersonalDataProvider(
                "portal",
                _("Own account"),
                accounts.export_person,
                erase=accounts.erase_person_data,
                models=("portal.AccountClaim",),
            ),
        )

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.portal.demo import load

        return load
