"""The one-click export of the user's personal data (RODO art. 15 and 20) as a ZIP."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from ebok.accounts.personal_data import build_export
from ebok.billing.documents import download_response
from ebok.core import ratelimit
from ebok.core.audit import log_action
from ebok.portal.scoping import customers_for

# Building the archive reads every row of the user's customers: a few per hour are plenty.
EXPORTS_PER_HOUR = 5


@login_required
def personal_data(request):
    context = {"customers": list(customers_for(request.user))}
    if request.method == "POST":
        verdict = ratelimit.hit(
            "personal-data", str(request.user.pk), limit=EXPORTS_PER_HOUR, window=3600
        )
        if not verdict.allowed:
            context["error"] = _(
                "Pobrałeś już swoje dane kilka razy w tej godzinie. Spróbuj ponownie za "
                "%(minutes)d min."
            ) % {"minutes": max(1, verdict.retry_after // 60)}
            return render(request, "portal/personal_data.html", context, status=429)
        filename, content = build_export(request.user)
        log_action(
            "accounts.personal_data.exported",
            request=request,
            obj=request.user,
            data={"customers": [c.payer_code for c in context["customers"]], "bytes": len(content)},
        )
        return download_response(filename, "application/zip", content)
    return render(request, "portal/personal_data.html", context)
