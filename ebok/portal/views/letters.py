"""Pisma: the register of the customer's letters, a letter's details, a new letter, and
attachment downloads. Everything goes through the customer scoping helpers."""

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ebok.core import jinja, uploads
from ebok.core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from ebok.core.fragments import cached_fragment, fragment_key
from ebok.core.models import CompanySettings
from ebok.core.pages import render_page
from ebok.core.paging import page_of
from ebok.customers.models import DataChangeRequest
from ebok.letters import services
from ebok.letters.models import Attachment, Letter, LetterKind
from ebok.letters.stamp import letters_stamp
from ebok.portal.letter_forms import LetterFilterForm, NewLetterForm
from ebok.portal.scoping import customer_required, owned_or_404

PAGE_SIZE = 20


# The columns the register's rows show (jinja/portal/letter_rows.html).
REGISTER_COLUMNS = ("number", "created_at", "kind", "description", "status")


def _register_letters(customer):
    return Letter.objects.incoming().filter(customer=customer).order_by("-created_at", "-id")


@customer_required
def letter_list(request):
    """The register, rendered once per customer and stamp (renewed by every save of one
    of their letters: letters/stamp.py), query string, language and company name."""
    customer = request.customer
    company = CompanySettings.get().company_short_name
    query_string = request.GET.urlencode()
    body = cached_fragment(
        "letters",
        customer.pk,
        letters_stamp(customer),
        (query_string, company),
        lambda: _register(request, company),
    )
    return render_page(request, "portal/cached_page.html", {"title": _("Pisma"), "body": body})


def _register(request, company) -> str:
    form = LetterFilterForm(request.GET or None)
    letters = _register_letters(request.customer)
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("od"):
            letters = letters.filter(created_at__date__gte=form.cleaned_data["od"])
        if form.cleaned_data.get("do"):
            letters = letters.filter(created_at__date__lte=form.cleaned_data["do"])
    page = page_of(request, letters.only(*REGISTER_COLUMNS), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("strona", None)
    return jinja.render(
        "portal/letters.html",
        {"form": form, "page": page, "query": query.urlencode(), "company": company},
    )


@customer_required
def letter_detail(request, pk):
    """One letter, rendered once per customer and stamp (renewed by every save of one of
    their letters: letters/stamp.py) and language. Nothing is cached before the
    letter is found to be the customer's own, and the key holds the customer, so another
    customer's letter is still a 404. A letter with a remark type is not cached (the
    type's name is edited in the back office)."""
    customer = request.customer
    key = fragment_key("letter", customer.pk, letters_stamp(customer), pk)
    page = cache.get(key)
    if page is None:
        page, cacheable = _letter_page(request, pk)
        if cacheable:
            cache.set(key, page, FRAGMENT_TIMEOUT)
    title, body = page
    # The body is Jinja2's output (autoescaped when rendered); the title is plain text
    # that the page's template escapes.
    return render_page(
        request,
        "portal/cached_page.html",
        {"title": title, "body": mark_safe(body)},  # noqa: S308
    )


def _letter_page(request, pk) -> tuple[tuple[str, str], bool]:
    """(title, rendered body) of the customer's letter (404 if it is not theirs), and
    whether it may be cached."""
    replies = Letter.objects.replies().prefetch_related("attachments")
    letter = owned_or_404(
        Letter.objects.incoming().prefetch_related(
            "attachments", "status_changes", Prefetch("replies", queryset=replies)
        ),
        request.customer,
        pk=pk,
    )
    change = DataChangeRequest.objects.filter(letter=letter).first()
    for attachment in [
        *letter.attachments.all(),
        *(a for reply in letter.replies.all() for a in reply.attachments.all()),
    ]:
        attachment.size_label = filesizeformat(attachment.size)
    body = jinja.render(
        "portal/letter.html",
        {
            "letter": letter,
            "data_change_rows": [r for r in change.rows() if r["changed"]] if change else [],
        },
    )
    title = f"{letter.number} · {_('Pisma')}"
    return (title, body), letter.remark_type_id is None


def submit_with_form(request, form, submit, success_message):
    """Shared by every customer form that registers a letter: call `submit(form)` and
    turn its outcomes into a redirect or a re-shown form with a clear message."""
    try:
        result = submit(form)
    except services.DuplicateSubmission as dup:
        if dup.letter.customer_id != request.customer.pk:
            form.add_error(
                None, _("Ten formularz został już wysłany. Odśwież stronę i spróbuj ponownie.")
            )
            return None
        messages.info(
            request,
            _("To pismo zostało już zarejestrowane pod numerem %(number)s.")
            % {"number": dup.letter.number},
        )
        return redirect("portal:letter_detail", dup.letter.pk)
    except services.SubmissionFailed:
        form.add_error(
            None,
            _(
                "Nie udało się zapisać załączników, więc pismo nie zostało wysłane. "
                "Wpisana treść została zachowana: dołącz pliki ponownie i wyślij jeszcze raz. "
                "Jeśli błąd się powtórzy, skontaktuj się z BOK."
            ),
        )
        return None
    messages.success(request, success_message % {"number": result.letter.number})
    return redirect("portal:letter_detail", result.letter.pk)


@customer_required
def letter_new(request):
    if request.method == "POST":
        form = NewLetterForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data

            def submit(form):
                return services.submit_letter(
                    kind=data["kind"],
                    description=data["description"],
                    body=data["body"],
                    customer=request.customer,
                    created_by=request.user,
                    files=data["attachments"],
                    submission_key=form.submission_key(),
                    request=request,
                )

            response = submit_with_form(
                request, form, submit, _("Zarejestrowano pismo nr %(number)s.")
            )
            if response is not None:
                return response
    else:
        form = NewLetterForm(
            initial={"form_token": services.new_submission_key(), "kind": LetterKind.INCOMING}
        )
    return render(request, "portal/letters/new.html", {"form": form})


@customer_required
def attachment_download(request, pk):
    attachment = owned_or_404(
        Attachment.objects.select_related("letter"),
        request.customer,
        customer_field="letter__customer",
        pk=pk,
    )
    return uploads.download_response(
        attachment.file.name, attachment.original_name, attachment.content_type
    )
