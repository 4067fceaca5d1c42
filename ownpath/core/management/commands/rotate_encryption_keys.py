from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ownpath.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of OWNPATH_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            for field in fields:
                table, column = model._meta.db_table, field.column
                with transaction.atomic():
                    rows = model._default_manager.exclude(**{field.name: ""}).values_list("pk", flat=True)
                    for pk in rows.iterator():
                        raw = model._default_manager.filter(pk=pk).values_list(field.name, flat=True).first()
                        if raw:
                            # Saving goes through get_prep_value, which encrypts with the newest key.
                            model._default_manager.filter(pk=pk).update(**{field.name: raw})
                            total += 1
                self.stdout.write(f"{table}.{column}: re-encrypted")
        self.stdout.write(f"Re-encrypted {total} value(s) with the newest key.")
