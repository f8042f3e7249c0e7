"""Wnioski internetowe (online requests): the request types from the registry, a form per
type, and the list of the customer's requests with their status. Not named `requests`,
which is the HTTP library's name."""

import functools

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ebok.billing.summary import billing_stamp
from ebok.core import jinja
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import cached_fragment, fragment_key
from ebok.core.models import CompanySettings
from ebok.core.pages import render_page
from ebok.core.paging import PAGE_PARAM, page_of
from ebok.core.uploads import AttachmentsFormMixin
from ebok.letters import request_settings, request_types, services
from ebok.letters.models import Letter, LetterKind
from ebok.letters.stamp import letters_stamp
from ebok.portal.letter_forms import SubmissionTokenMixin, attachments_field
from ebok.portal.scoping import customer_required
from ebok.portal.views.letters import submit_with_form

PAGE_SIZE = 20

# The columns the rows show (jinja/portal/request_rows.html).
REQUEST_COLUMNS = ("number", "created_at", "request_type", "status")


@customer_required
def request_list(request):
    """The types offered and the customer's requests, rendered once per customer and
    stamp (renewed by every save of one of their letters: letters/stamp.py), page,
    language and the administrator's settings of the request types."""
    customer = request.customer
    config = CompanySettings.get()
    asked_page = request.GET.get(PAGE_PARAM, "")[:8]
    body = cached_fragment(
        "requests",
        customer.pk,
        letters_stamp(customer),
        (asked_page, config.request_type_settings),
        lambda: _requests(request, config),
    )
    return render_page(
        request, "portal/cached_page.html", {"title": _("Wnioski internetowe"), "body": body}
    )


def _requests(request, config) -> str:
    submitted = Letter.objects.filter(
        customer=request.customer, kind=LetterKind.ONLINE_REQUEST
    ).order_by("-created_at", "-id")
    page = page_of(request, submitted.only(*REQUEST_COLUMNS), PAGE_SIZE)
    titles = {t.code: t.title for t in request_types.all_types()}
    for item in page.object_list:
        item.type_title = titles.get(item.request_type, item.request_type)
    return jinja.render(
        "portal/requests.html",
        {"types": request_settings.offered_types(config), "page": page, "query": ""},
    )


def _form_class(request_type):
    """The type's form plus the parts every request shares: token and attachments (one
    class per type, made once per process: building a form class costs a request)."""
    return _with_shared_fields(request_type.form_class)


@functools.cache
def _with_shared_fields(form_class):
    class Form(SubmissionTokenMixin, AttachmentsFormMixin, form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["attachments"] = attachments_field()
            self.fields["form_token"] = forms.CharField(widget=forms.HiddenInput, required=False)

    return Form


@customer_required
def request_new(request, code):
    request_type = request_types.get(code)
    if request_type is None or not request_settings.is_offered(code):
        raise Http404
    form_class = _form_class(request_type)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, customer=request.customer)
        if form.is_valid():

            def submit(form):
                return services.submit_online_request(
                    customer=request.customer,
                    request_type=request_type,
                    form=form,
                    user=request.user,
                    files=form.cleaned_data["attachments"],
                    submission_key=form.submission_key(),
                    request=request,
                )

            response = submit_with_form(
                request, form, submit, _("Zarejestrowano wniosek jako pismo nr %(number)s.")
            )
            if response is not None:
                return response
    else:
        form = form_class(
            customer=request.customer, initial={"form_token": services.new_submission_key()}
        )
        form.initial.update(_initial_from_query(form, request.GET))
    _cached_contract_choices(form, request.customer)
    context = {"form": form, "request_type": request_type}
    return render_page(request, "portal/request_new.html", context)


def _cached_contract_choices(form, customer):
    """The contract field's options as the page shows them, read once per customer,
    billing stamp (an import of contracts or sites renews it) and language; the field
    still checks a posted contract against the customer's own in the database."""
    field = form.fields.get("contract")
    if field is None:
        return
    stamp = billing_stamp(customer, timezone.localdate())
    key = fragment_key("request-contract-choices", customer.pk, stamp)
    choices = cache.get(key)
    if choices is None:
        choices = [(str(value), str(label)) for value, label in field.choices]
        cache.set(key, choices, FRAGMENT_TIMEOUT)
    field.widget.choices = choices


def _initial_from_query(form, query) -> dict:
    """Values a link passes in the query string (e.g. the heat insight's capacity advice
    opening a pre-filled "Zmiana mocy zamówionej"), each kept only if its field accepts it:
    a contract must be the customer's own, a number in range, a date a date."""
    initial = {}
    for name, field in form.fields.items():
        if name in ("form_token", "attachments") or name not in query:
            continue
        try:
            initial[name] = field.clean(query[name])
        except ValidationError:
            continue
    return initial
