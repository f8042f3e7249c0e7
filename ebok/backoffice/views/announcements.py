"""Start-page announcements: operators write, publish and withdraw them; every change is
audit-logged."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.core.models import Announcement
from ebok.core.paging import page_of

PERM = "accounts.manage_announcements"


class AnnouncementForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=gettext_lazy("Opublikuj od razu na stronie startowej"), required=False
    )

    class Meta:
        model = Announcement
        fields = ["title", "body"]
        labels = {"title": gettext_lazy("Tytuł"), "body": gettext_lazy("Treść")}
        help_texts = {"body": gettext_lazy("Zwykły tekst; pusta linia zaczyna nowy akapit.")}


@operator_required(PERM)
def announcement_list(request):
    page = page_of(
        request, Announcement.objects.select_related("created_by").order_by("-created_at", "-pk")
    )
    return render(request, "backoffice/announcements/list.html", {"page": page})


@operator_required(PERM)
def announcement_new(request):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            announcement = form.save(commit=False)
            announcement.created_by = request.user
            if form.cleaned_data["publish"]:
                announcement.published_at = timezone.now()
            announcement.save()
            log_action(
                "core.announcement.created",
                request=request,
                obj=announcement,
                data={"published": announcement.is_published},
            )
        messages.success(request, _("Komunikat zapisano."))
        return redirect("backoffice:announcements")
    return render(request, "backoffice/announcements/form.html", {"form": form})


@require_POST
@operator_required(PERM)
def announcement_publish(request, pk):
    with transaction.atomic():
        announcement = get_object_or_404(Announcement.objects.select_for_update(), pk=pk)
        if not announcement.is_published:
            announcement.published_at = timezone.now()
            announcement.withdrawn_at = None
            announcement.save(update_fields=["published_at", "withdrawn_at"])
            log_action("core.announcement.published", request=request, obj=announcement)
    messages.success(request, _("Komunikat jest widoczny na stronie startowej."))
    return redirect("backoffice:announcements")


@require_POST
@operator_required(PERM)
def announcement_withdraw(request, pk):
    with transaction.atomic():
        announcement = get_object_or_404(Announcement.objects.select_for_update(), pk=pk)
        if announcement.is_published:
            announcement.withdrawn_at = timezone.now()
            announcement.save(update_fields=["withdrawn_at"])
            log_action("core.announcement.withdrawn", request=request, obj=announcement)
    messages.success(request, _("Komunikat wycofano ze strony startowej."))
    return redirect("backoffice:announcements")
