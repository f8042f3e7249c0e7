"""The rename of SiteConfiguration to CompanySettings keeps the administrator's settings
and their history: the migration renames the tables, it does not recreate them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0004_request_type_settings")]
AFTER = [("core", "0005_company_settings")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    apps = migrate(BEFORE)
    SiteConfiguration = apps.get_model("core", "SiteConfiguration")
    SiteConfigurationChange = apps.get_model("core", "SiteConfigurationChange")
    SiteConfiguration.objects.update_or_create(
        pk=1, defaults={"company_name": "MPEC Sp. z o.o.", "bank_account": "1" * 26}
    )
    SiteConfigurationChange.objects.create(
        changes={"company_name": {"old": "PEC", "new": "MPEC Sp. z o.o."}}
    )
    yield
    migrate()  # the rest of the suite runs on the latest schema


def test_the_settings_and_their_history_survive_the_rename(old_rows):
    apps = migrate(AFTER)
    settings = apps.get_model("core", "CompanySettings").objects.get(pk=1)
    assert settings.company_name == "MPEC Sp. z o.o."
    assert settings.bank_account == "11111111111111111111111111"
    change = apps.get_model("core", "CompanySettingsChange").objects.get()
    assert change.changes == {"company_name": {"old": "PEC", "new": "MPEC Sp. z o.o."}}
    tables = connection.introspection.table_names()
    assert "core_companysettings" in tables and "core_siteconfiguration" not in tables


def test_the_rename_reverses(old_rows):
    migrate(AFTER)
    apps = migrate(BEFORE)
    assert apps.get_model("core", "SiteConfiguration").objects.get().company_name == (
        "MPEC Sp. z o.o."
    )
    assert apps.get_model("core", "SiteConfigurationChange").objects.count() == 1
