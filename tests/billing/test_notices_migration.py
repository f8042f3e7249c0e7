"""The invoice notices' models move from the integration app to billing: the users'
choices and the record of what was sent stay, so nobody is notified twice and nobody
who opted out starts getting mail."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ebok.accounts.models import User
from ebok.billing.models import Invoice
from ebok.customers.models import Customer

BEFORE = [("integration", "0001_initial"), ("billing", "0003_account_summary")]
AFTER = [("billing", "0004_notices_from_integration")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    apps = migrate(BEFORE)
    # Users, customers and invoices keep their tables: today's models write them.
    user = User.objects.create(username="jan", email="jan@example.com")
    customer = Customer.objects.create(external_id="K1", payer_code="1001", name="Jan Nowak")
    invoice = Invoice.objects.create(
        external_id="F1",
        customer=customer,
        number="FV/1/2026",
        issue_date=date(2026, 11, 2),
        sale_date=date(2026, 10, 31),
        due_date=date(2026, 11, 16),
        net_amount=Decimal("100.00"),
        vat_amount=Decimal("23.00"),
        gross_amount=Decimal("123.00"),
    )
    apps.get_model("integration", "NotificationPreference").objects.create(
        user_id=user.pk, new_invoices=False
    )
    apps.get_model("integration", "SentNotice").objects.create(
        kind="due_soon", invoice_id=invoice.pk, user_id=user.pk
    )
    yield
    migrate()  # the rest of the suite runs on the latest schema


def test_preferences_and_sent_notices_stay_after_the_move(old_rows):
    apps = migrate(AFTER)
    preference = apps.get_model("billing", "NotificationPreference").objects.get()
    assert preference.user.username == "jan"
    assert (preference.new_invoices, preference.payment_reminders) == (False, True)
    SentNotice = apps.get_model("billing", "SentNotice")
    notice = SentNotice.objects.get()
    assert (notice.kind, notice.invoice.number, notice.user.username) == (
        "due_soon",
        "FV/1/2026",
        "jan",
    )
    # The same notice cannot be recorded twice under the constraint's new name either.
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotice.objects.create(kind="due_soon", invoice=notice.invoice, user=notice.user)
    tables = connection.introspection.table_names()
    assert {"billing_notificationpreference", "billing_sentnotice"} <= set(tables)
    assert "integration_sentnotice" not in tables


def test_the_move_reverses(old_rows):
    migrate(AFTER)
    apps = migrate(BEFORE)
    assert (
        apps.get_model("integration", "NotificationPreference").objects.get().new_invoices is False
    )
    assert apps.get_model("integration", "SentNotice").objects.count() == 1
