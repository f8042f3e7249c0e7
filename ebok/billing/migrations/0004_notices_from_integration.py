"""The invoice notices' models arrive from the integration app, whose 0002 renamed their
tables to billing's names: here they only enter billing's state. The unique constraint
gets billing's name, and existing content types (with their permissions) follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("notificationpreference", "sentnotice")


def content_types_to_billing(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="billing", model=model).exists():
            types.filter(app_label="integration", model=model).update(app_label="billing")


def content_types_to_integration(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label="integration", model=model).exists():
            types.filter(app_label="billing", model=model).update(app_label="integration")


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_account_summary"),
        ("integration", "0002_notices_move_to_billing"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "new_invoices",
                            models.BooleanField(
                                default=True, verbose_name="powiadomienia o nowych fakturach"
                            ),
                        ),
                        (
                            "payment_reminders",
                            models.BooleanField(
                                default=True, verbose_name="przypomnienia o terminach płatności"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="zmieniono"),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="użytkownik",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ustawienia powiadomień",
                        "verbose_name_plural": "ustawienia powiadomień",
                    },
                ),
                migrations.CreateModel(
                    name="SentNotice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("new_invoice", "nowa faktura"),
                                    ("due_soon", "zbliża się termin płatności"),
                                    ("overdue", "minął termin płatności"),
                                ],
                                max_length=12,
                                verbose_name="rodzaj",
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="wysłano"),
                        ),
                        (
                            "invoice",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="billing.invoice",
                                verbose_name="faktura",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="użytkownik",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "wysłane powiadomienie",
                        "verbose_name_plural": "wysłane powiadomienia",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "invoice", "user"), name="integration_notice_once"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="sentnotice", name="integration_notice_once"),
        migrations.AddConstraint(
            model_name="sentnotice",
            constraint=models.UniqueConstraint(
                fields=("kind", "invoice", "user"), name="billing_notice_once"
            ),
        ),
        migrations.RunPython(content_types_to_billing, content_types_to_integration),
    ]
