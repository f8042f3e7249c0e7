"""The two back-office roles as groups with their permissions."""

from django.db import migrations

ROLES = {
    "Operator": [
        "access_backoffice",
        "view_customer_data",
        "verify_registration",
        "handle_letters",
        "manage_announcements",
    ],
    "Administrator": [
        "access_backoffice",
        "view_customer_data",
        "verify_registration",
        "handle_letters",
        "manage_announcements",
        "manage_configuration",
        "manage_api_keys",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; create the ones the
    # groups need here, with the names the model's Meta gives them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    user_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    for codename, name in User._meta.permissions:
        Permission.objects.get_or_create(
            content_type=user_type, codename=codename, defaults={"name": str(name)}
        )
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
