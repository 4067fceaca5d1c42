"""The directory's translatable texts move to core.Translation (shared with the helpline's knowledge base)."""

from django.db import migrations

FIELDS = ("entity", "entity_id", "field", "language", "text", "status", "updated_at", "updated_by_id")


def forward(apps, schema_editor):
    old = apps.get_model("directory", "Translation")
    new = apps.get_model("core", "Translation")
    batch = []
    for row in old.objects.values(*FIELDS).iterator(chunk_size=2000):
        batch.append(new(module="directory", **row))
        if len(batch) >= 2000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)


def backward(apps, schema_editor):
    old = apps.get_model("directory", "Translation")
    new = apps.get_model("core", "Translation")
    old.objects.bulk_create([old(**row) for row in new.objects.filter(module="directory").values(*FIELDS)])
    new.objects.filter(module="directory").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_keep_coordinates"),
        ("core", "0006_translations_and_handovers"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="Translation"),
    ]
