"""Rebuild every person's name keys with the romanisation of Arabic-script and Ge'ez names, the table
of common names and the particles (``ownpath.core.names``). Keys are derived data: the rebuild reads the
names and writes only ``PersonNameKey`` (erased records have none and get none); running it again gives the same keys. It calls today's
``name_keys`` on purpose: keys must be those the search computes, whatever they were when this was
written (a later change of the scheme ships its own rebuild)."""

from django.db import migrations

BATCH = 500
NAME_FIELDS = ("given_name", "family_name", "given_name_native", "family_name_native")


def rebuild(apps, schema_editor):
    from ownpath.core.names import name_keys

    Person = apps.get_model("core", "Person")
    PersonNameKey = apps.get_model("core", "PersonNameKey")
    last = 0
    while True:
        rows = list(Person.objects.filter(pk__gt=last, is_anonymised=False).order_by("pk").values_list("pk", *NAME_FIELDS)[:BATCH])
        if not rows:
            break
        ids = [row[0] for row in rows]
        PersonNameKey.objects.filter(person_id__in=ids).delete()
        PersonNameKey.objects.bulk_create(
            [PersonNameKey(person_id=row[0], key=key) for row in rows for key in sorted(name_keys(*row[1:]))]
        )
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [("core", "0014_audit_chain_and_roles")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
