"""The back-office insight page: operators read, administrators have statistics recomputed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ebok.core.models import AuditLogEntry
from ebok.insight.models import DailyTemperature, GroupStatistic
from tests import factories

pytestmark = pytest.mark.django_db


def _stat():
    return GroupStatistic.objects.create(
        tariff_group="A1",
        metric="gj_per_mw",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        customers=10,
        sites=12,
        minimum=Decimal(100),
        lower_quartile=Decimal(325),
        median=Decimal(550),
        upper_quartile=Decimal(775),
        maximum=Decimal(1000),
        mean=Decimal(550),
    )


def test_an_operator_sees_the_groups_and_the_temperature_series(operator_client):
    _stat()
    DailyTemperature.objects.create(
        external_id="T1", day=date(2026, 1, 15), mean_temperature=Decimal("-7.2")
    )
    page = operator_client.get(reverse("backoffice:insight")).content.decode()
    assert "A1" in page and "775" in page
    assert "Seria od 15-01-2026 do 15-01-2026 (1 dni)" in page
    assert "Przelicz teraz" not in page  # an operator may read, not recompute


def test_an_operator_may_not_recompute(operator_client):
    assert operator_client.post(reverse("backoffice:insight_recompute")).status_code == 403


def test_an_administrator_has_the_statistics_recomputed_by_a_task(client):
    admin = factories.make_operator(role="Administrator")
    client.force_login(admin)
    response = client.post(reverse("backoffice:insight_recompute"))
    assert response.status_code == 302
    assert (
        DBTaskResult.objects.filter(task_path__endswith="compute_group_statistics_task").count()
        == 1
    )
    assert AuditLogEntry.objects.filter(
        action="insight.group_statistics.requested", user=admin
    ).exists()


def test_a_customer_is_refused(customer_client):
    assert customer_client.get(reverse("backoffice:insight")).status_code == 403
