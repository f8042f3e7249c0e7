"""Heat insight in the back office (/obsluga/ustawienia/analiza/): the tariff groups'
stored distributions and the state of the company's temperature series, so an operator
can answer "where do these numbers come from"; an administrator can have the group
statistics recomputed now (a task of the durable queue, audit-logged)."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.insight import services
from ebok.insight.alerts import compute_group_statistics_task
from ebok.insight.models import DailyTemperature, GroupStatistic

RECOMPUTE_PERM = "accounts.manage_configuration"


@require_GET
@operator_required()
def overview(request):
    latest = GroupStatistic.objects.aggregate(last=Max("period_end"))["last"]
    statistics = (
        GroupStatistic.objects.filter(period_end=latest).order_by("tariff_group", "metric")
        if latest
        else []
    )
    today = timezone.localdate()
    series = DailyTemperature.objects.filter(cancelled_at__isnull=True).aggregate(
        first=Min("day"), last=Max("day"), days=Count("id")
    )
    months = services.all_monthly_degree_days()
    normal = services.normal_degree_days(months)
    recent = [
        {"month": m, "data": months.get(m), "normal": normal[m[1]]}
        for m in services.month_range(
            services.add_months((today.year, today.month), -12), (today.year, today.month)
        )
    ]
    return render(
        request,
        "backoffice/insight/overview.html",
        {
            "statistics": statistics,
            "series": series,
            "recent": recent,
            "stale": series["last"] is None or series["last"] < today - timedelta(days=3),
            "hdd_base": services.hdd_base(),
            "min_customers": services.MIN_GROUP_CUSTOMERS,
            "may_recompute": request.user.has_perm(RECOMPUTE_PERM),
        },
    )


@require_POST
@operator_required(RECOMPUTE_PERM)
def recompute(request):
    with transaction.atomic():
        compute_group_statistics_task.enqueue()
        log_action("insight.group_statistics.requested", request=request)
    messages.success(
        request, _("Zlecono przeliczenie statystyk grup taryfowych; wyniki pojawią się za chwilę.")
    )
    return redirect("backoffice:insight")
