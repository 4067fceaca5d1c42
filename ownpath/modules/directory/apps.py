from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from ownpath.core.registry import MenuItem, ModuleConfig


class DirectoryConfig(ModuleConfig):
    """The services directory in Open Referral HSDS 3.0, its translations, imports and the /hsds/ API."""

    name = "ownpath.modules.directory"
    label = "directory"
    verbose_name = _("Services directory")
    default = True

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from ownpath.modules.directory import rules  # noqa: F401  (registers the permissions)
        from ownpath.modules.directory.tasks import import_task_finished

        task_finished.connect(import_task_finished, dispatch_uid="directory-import-finished")

    def menu_items(self) -> Iterable[MenuItem]:
        return (MenuItem(_("Directory"), "directory:entries", "directory.manage", order=60, group="administration"),)

    def permissions(self) -> Mapping[str, str]:
        from ownpath.modules.directory.rules import PERMISSIONS

        return PERMISSIONS

    def capabilities(self) -> Mapping[str, object]:
        return {"directory.finder": "ownpath.modules.directory.finder.finder"}

    def demo_loader(self) -> Callable[[], str] | None:
        from ownpath.modules.directory.demo import load

        return load
