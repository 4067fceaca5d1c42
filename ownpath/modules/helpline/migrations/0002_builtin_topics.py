"""The built-in topic taxonomy (names blank: shown translated through gettext by their code)."""

from django.db import migrations

TOPICS = [
    ("work_permit", "legal_advice"),
    ("residence", "legal_advice"),
    ("unpaid_wages", "legal_advice"),
    ("contract", "legal_advice"),
    ("discrimination", "legal_advice"),
    ("housing", ""),
    ("health", "health"),
    ("psychological_crisis", "psychological_help"),
    ("language_courses", "language_courses"),
    ("recognition", "recognition"),
    ("family", ""),
    ("other", ""),
]


def forward(apps, schema_editor):
    Topic = apps.get_model("helpline", "Topic")
    for order, (code, need) in enumerate(TOPICS):
        Topic.objects.get_or_create(code=code, defaults={"directory_need": need, "order": order * 10})


def backward(apps, schema_editor):
    apps.get_model("helpline", "Topic").objects.filter(code__in=[c for c, _n in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
