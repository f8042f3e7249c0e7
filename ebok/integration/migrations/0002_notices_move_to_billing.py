"""The invoice notices' models (NotificationPreference, SentNotice) belong to billing.
Their tables are renamed to billing's names and the models leave this app's state;
billing's 0004 takes them into its state. No row is copied or lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("integration", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(
                    name="notificationpreference", table="billing_notificationpreference"
                ),
                migrations.AlterModelTable(name="sentnotice", table="billing_sentnotice"),
            ],
            state_operations=[
                migrations.DeleteModel(name="NotificationPreference"),
                migrations.DeleteModel(name="SentNotice"),
            ],
        ),
    ]
