"""Notification settings (/powiadomienia/): which e-mails a user wants from eBOK."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ebok.billing.models import NotificationPreference
from ebok.core.pages import render_page
from ebok.core.rows import RowReader
from ebok.insight.models import InsightPreference
from ebok.interruptions.models import NoticePreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["new_invoices", "payment_reminders"]
        labels = {
            "new_invoices": gettext_lazy("Powiadamiaj mnie e-mailem o nowych fakturach"),
            "payment_reminders": gettext_lazy(
                "Przypominaj mi e-mailem o zbliżającym się i o minionym terminie płatności"
            ),
        }


class InterruptionNoticeForm(forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["planned", "failures"]
        labels = {
            "planned": gettext_lazy(
                "Powiadamiaj mnie e-mailem o planowanych przerwach w dostawie ciepła"
            ),
            "failures": gettext_lazy("Powiadamiaj mnie e-mailem o awariach i ich usunięciu"),
        }


class InsightPreferenceForm(forms.ModelForm):
    class Meta:
        model = InsightPreference
        fields = ["consumption_alerts", "legalisation_alerts"]
        labels = {
            "consumption_alerts": gettext_lazy(
                "Powiadamiaj mnie e-mailem, gdy zużycie w miesiącu przekroczy oczekiwane wg pogody"
            ),
            "legalisation_alerts": gettext_lazy(
                "Powiadamiaj mnie e-mailem, gdy legalizacja licznika kończy się w ciągu 90 dni"
            ),
        }


# The user's three preference rows, by statements written once (core/rows.py).
_PREFERENCE = RowReader(NotificationPreference, "user")
_NOTICES = RowReader(NoticePreference, "user")
_INSIGHT = RowReader(InsightPreference, "user")


@login_required
def settings_view(request):
    preference = _PREFERENCE.get(request.user.pk) or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    interruptions = _NOTICES.get(request.user.pk) or NoticePreference(user=request.user)
    interruption_form = InterruptionNoticeForm(
        request.POST or None, instance=interruptions, prefix="przerwy"
    )
    insight = _INSIGHT.get(request.user.pk)
    insight_form = InsightPreferenceForm(
        request.POST or None,
        instance=insight or InsightPreference(user=request.user),
        prefix="analiza",
    )
    forms_ = (form, interruption_form, insight_form)
    valid = [f.is_valid() for f in forms_]  # every form, so every error is shown
    if request.method == "POST" and all(valid):
        for f in forms_:
            f.save()
        messages.success(request, _("Zapisano ustawienia powiadomień."))
        return redirect("portal:notifications")
    return render_page(
        request,
        "portal/notifications.html",
        {"form": form, "interruption_form": interruption_form, "insight_form": insight_form},
    )
