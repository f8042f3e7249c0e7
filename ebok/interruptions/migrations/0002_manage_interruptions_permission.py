"""The operator permission `accounts.manage_interruptions`, given to the Operator and
Administrator groups. It sits with the other back-office permissions on accounts.User, so
templates read it as `perms.accounts.manage_interruptions` like the rest."""

from django.db import migrations

CODENAME = "manage_interruptions"
NAME = "Może ogłaszać i zmieniać przerwy w dostawie ciepła"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    user_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=user_type, codename=CODENAME, defaults={"name": NAME}
    )
    for name in ("Operator", "Administrator"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interruptions", "0001_initial"),
        ("accounts", "0002_operator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
