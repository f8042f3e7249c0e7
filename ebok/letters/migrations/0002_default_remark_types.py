"""The remark types of the manual's public form, editable by operators afterwards."""

from django.db import migrations

DEFAULTS = [
    ("Internetowy wniosek do {company}", False),
    ("Zgłoszenie", False),
    ("Zgłoszenie reklamacji do faktury", True),
]


def create(apps, schema_editor):
    RemarkType = apps.get_model("letters", "RemarkType")
    for position, (name, is_complaint) in enumerate(DEFAULTS, start=1):
        RemarkType.objects.get_or_create(
            name=name, defaults={"position": position, "is_complaint": is_complaint}
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
