"""Heat supply interruptions for everybody (/przerwy/: current and planned, search by
street and number, Atom and iCalendar feeds, no login) and for customers (/przerwy/moje/:
current and past interruptions at their own sites)."""

import bisect
import hashlib

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from ebok.billing.summary import billing_stamp
from ebok.contracts.models import Site
from ebok.core.fragments import cached_fragment
from ebok.core.models import CompanySettings
from ebok.core.pages import render_page
from ebok.core.paging import page_of
from ebok.interruptions import ical, public, services
from ebok.interruptions.models import Interruption
from ebok.portal.pagekey import page_key
from ebok.portal.scoping import customer_required

FEED_MAX_AGE = 300


class SearchForm(forms.Form):
    ulica = forms.CharField(label=gettext_lazy("Ulica"), max_length=100, required=False)
    numer = forms.CharField(
        label=gettext_lazy("Numer budynku"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("Np. 12 albo 12A; bez numeru pokażemy całą ulicę."),
    )

    def clean_numer(self):
        number = self.cleaned_data["numer"].strip()
        if number and public.matching.house_number(number) is None:
            raise forms.ValidationError(_("Podaj numer budynku, np. 12 albo 12A."))
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("numer") and not cleaned.get("ulica", "").strip():
            self.add_error("ulica", _("Podaj ulicę, przy której jest ten numer."))
        return cleaned


def _decorate(interruptions):
    for interruption in interruptions:
        interruption.public_areas = public.areas(interruption)
    return interruptions


def interruption_list(request):
    """Current and planned interruptions, searchable by address. The interruptions
    (the found message and both sections) are rendered once per interruptions version
    (every change of an interruption renews it), phase (how many of the open
    interruptions' starts and expected ends have passed: one starting or ending shows at
    once), language and search; the form and its errors are rendered on each request."""
    now = services.now()
    form = SearchForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    street = form.cleaned_data.get("ulica", "").strip() if valid else ""
    number = form.cleaned_data.get("numer", "") if valid else ""
    searched = public.Search(street, number) if street else None
    version = services.cache_version()
    selector = hashlib.sha256(f"{street}\n{number}".encode()).hexdigest()[:24]
    key = (
        f"ebok.interruptions.public_list:{version}:{_phase(version, now)}:"
        f"{get_language()}:{selector}"
    )
    sections = cache.get(key)
    if sections is None:
        items = list(public.open_list(now))
        if searched is not None:
            items = public.filter_by(items, searched)
        _decorate(items)
        current = [i for i in items if i.starts_at <= now]
        planned = [i for i in items if i.starts_at > now]
        sections = render_to_string(
            "portal/interruptions/_public_sections.html",
            {
                "current": current,
                "planned": planned,
                "found": len(current) + len(planned),
                "searched": searched,
            },
            request=request,
        )
        # A site's street changed by an import (sites named by code) shows within minutes.
        cache.set(key, sections, PUBLIC_LIST_SECONDS)
    # webcal:// makes phones and desktop calendars offer "subscribe" on a click.
    ics = reverse("portal:interruptions_ics") + (
        "?" + urlencode({"ulica": street}) if street else ""
    )
    webcal_url = "webcal://" + settings.EBOK_BASE_URL.split("://", 1)[-1] + ics
    return render_page(
        request,
        "portal/interruptions_public.html",
        {
            "form": form,
            # The rendered fragment is the output of an autoescaping template.
            "sections": mark_safe(sections),  # noqa: S308
            "searched": searched,
            "street": street,
            "webcal_url": webcal_url,
        },
    )


PUBLIC_LIST_SECONDS = 300


def _phase(version: str, now) -> int:
    """How many starts and expected ends of the open interruptions are past `now`. The
    moments are read once per interruptions version."""
    key = f"ebok.interruptions.moments:{version}"
    moments = cache.get(key)
    if moments is None:
        rows = Interruption.objects.filter(status__in=Interruption.OPEN_STATUSES).values_list(
            "starts_at", "expected_end_at"
        )
        moments = sorted(moment for row in rows for moment in row)
        cache.set(key, moments, PUBLIC_LIST_SECONDS)
    return bisect.bisect_right(moments, now)


def interruption_detail(request, pk):
    interruption = get_object_or_404(public._with_public_data(Interruption.objects.all()), pk=pk)
    _decorate([interruption])
    return render(
        request, "portal/interruptions/public_detail.html", {"interruption": interruption}
    )


# --- feeds ------------------------------------------------------------------------------


def _feed_street(request) -> str:
    return request.GET.get("ulica", "").strip()[:100]


def _feed_items(request):
    items = list(public.feed_list(services.now()))
    street = _feed_street(request)
    if street:
        items = public.filter_by(items, public.Search(street))
    return _decorate(items)


def _etag(request, *args, **kwargs):
    last = public.last_modified(services.now())
    key = f"{last.isoformat() if last else '-'}|{_feed_street(request).casefold()}|{get_language()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return public.last_modified(services.now())


def _feeds(view):
    """Public caching: anybody (and any proxy) may keep the feed for a few minutes, and
    a client with the current ETag or Last-Modified gets 304 without the feed being built."""
    return cache_control(public=True, max_age=FEED_MAX_AGE)(
        condition(etag_func=_etag, last_modified_func=_last_modified)(view)
    )


def _summary(interruption) -> str:
    area = "; ".join(interruption.public_areas) or _("zakres w opisie")
    return _("%(kind)s: %(affects)s — %(area)s") % {
        "kind": interruption.get_kind_display().capitalize(),
        "affects": interruption.get_affects_display(),
        "area": area,
    }


def _text(interruption) -> str:
    local = timezone.localtime
    parts = [
        _("Stan: %(status)s.") % {"status": interruption.effective_status_label},
        _("Od %(start)s do %(end)s (przewidywany koniec).")
        % {
            "start": local(interruption.starts_at).strftime("%d-%m-%Y %H:%M"),
            "end": local(interruption.expected_end_at).strftime("%d-%m-%Y %H:%M"),
        },
    ]
    if interruption.ended_at:
        parts.append(
            _("Zakończono %(at)s.")
            % {"at": local(interruption.ended_at).strftime("%d-%m-%Y %H:%M")}
        )
    parts.append(_("Obszar: %(areas)s.") % {"areas": "; ".join(interruption.public_areas)})
    if interruption.description:
        parts.append(interruption.description)
    return "\n".join(parts)


class InterruptionAtomFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return _feed_street(request)

    def title(self, street):
        company = CompanySettings.get().company_short_name
        if street:
            return _("Przerwy w dostawie ciepła — %(street)s — %(company)s") % {
                "street": street,
                "company": company,
            }
        return _("Przerwy w dostawie ciepła — %(company)s") % {"company": company}

    def link(self, street):
        query = "?" + urlencode({"ulica": street}) if street else ""
        return reverse("portal:interruptions") + query

    def subtitle(self, street):
        return _("Trwające, planowane i niedawno zakończone przerwy w dostawie ciepła.")

    def feed_url(self, street):
        return self.request.get_full_path()

    def items(self, street):
        return _feed_items(self.request)

    def item_title(self, item):
        return _summary(item)

    def item_description(self, item):
        return _text(item)

    def item_link(self, item):
        return reverse("portal:interruption", args=[item.pk])

    def item_guid(self, item):
        return f"{settings.EBOK_BASE_URL}{reverse('portal:interruption', args=[item.pk])}"

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display(), item.get_affects_display()]


atom_feed = _feeds(InterruptionAtomFeed())


@_feeds
def ical_feed(request):
    street = _feed_street(request)
    company = CompanySettings.get().company_short_name
    host = settings.EBOK_BASE_URL.split("://", 1)[-1].split("/", 1)[0]
    events = []
    for item in _feed_items(request):
        events.append(
            {
                "uid": f"przerwa-{item.pk}@{host}",
                "start": item.starts_at,
                "end": item.ended_at
                if item.ended_at and item.ended_at > item.starts_at
                else item.expected_end_at,
                "stamp": item.updated_at,
                "summary": _summary(item),
                "description": _text(item),
                "location": "; ".join(item.public_areas),
                "url": settings.EBOK_BASE_URL + reverse("portal:interruption", args=[item.pk]),
                "status": "CANCELLED"
                if item.status == Interruption.Status.CANCELLED
                else "CONFIRMED",
                "sequence": max(item.change_count - 1, 0),
            }
        )
    name = _("Przerwy w dostawie ciepła — %(company)s") % {"company": company}
    if street:
        name = f"{name} — {street}"
    body = ical.calendar(name, events, prodid=f"-//{company}//eBOK przerwy//PL")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="przerwy.ics"'
    return response


# --- the customer's own -----------------------------------------------------------------


@customer_required
def my_interruptions(request):
    """The interruptions at the customer's sites: under way or announced, then the earlier
    ones a page at a time. Rendered once per customer, billing stamp (their sites),
    interruptions version (every change of an interruption), phase (an interruption
    starting or reaching its expected end), language and page."""
    customer = request.customer
    now = services.now()

    def render_body():
        qs = (
            Interruption.objects.filter(sites__customer=customer)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "sites",
                    queryset=Site.objects.filter(customer=customer).order_by("code"),
                    to_attr="own_sites",
                )
            )
            .order_by("-starts_at", "-pk")
        )
        open_q = Q(status__in=Interruption.OPEN_STATUSES, expected_end_at__gt=now)
        current = list(qs.filter(open_q))
        page = page_of(request, qs.exclude(open_q), 20)
        context = {"current": current, "page": page, "now": now}
        return render_to_string("portal/interruptions/_mine_body.html", context, request=request)

    asked_page = page_key(request)
    if asked_page is None:
        body = mark_safe(render_body())  # noqa: S308 - a Django template's output
    else:
        version = services.cache_version()
        stamp = f"{billing_stamp(customer, now.date())}:{version}:{_phase(version, now)}"
        body = cached_fragment("my-interruptions", customer.pk, stamp, (asked_page,), render_body)
    return render_page(
        request,
        "portal/cached_page.html",
        {"title": _("Przerwy przy moich obiektach"), "body": body},
    )
