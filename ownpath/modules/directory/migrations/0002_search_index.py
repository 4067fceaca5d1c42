from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_searchdocument_fts ON directory_searchdocument "
            "USING gin (to_tsvector('simple', \"text\"))"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_languages ON directory_service "
            "USING gin (language_codes jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchdocument_fts")
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_languages")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
