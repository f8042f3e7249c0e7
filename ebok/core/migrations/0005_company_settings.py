"""SiteConfiguration is now CompanySettings ("site" means a heat substation here): the
rows stay, the tables are renamed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_request_type_settings"),
    ]

    operations = [
        migrations.RenameModel(old_name="SiteConfiguration", new_name="CompanySettings"),
        migrations.RenameModel(
            old_name="SiteConfigurationChange", new_name="CompanySettingsChange"
        ),
        migrations.AlterModelOptions(
            name="companysettings",
            options={
                "verbose_name": "ustawienia firmy",
                "verbose_name_plural": "ustawienia firmy",
            },
        ),
        migrations.AlterModelOptions(
            name="companysettingschange",
            options={
                "ordering": ["-changed_at", "-id"],
                "verbose_name": "zmiana ustawień firmy",
                "verbose_name_plural": "historia zmian ustawień firmy",
            },
        ),
    ]
