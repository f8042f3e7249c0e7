"""Pisma: the register of the customer's letters, a letter's details, a new letter, and
attachment downloads. Everything goes through the customer scoping helpers."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ebok.core import uploads
from ebok.core.paging import page_of
from ebok.customers.models import DataChangeRequest
from ebok.letters import services
from ebok.letters.models import Attachment, Letter, LetterKind
from ebok.portal.letter_forms import LetterFilterForm, NewLetterForm
from ebok.portal.scoping import customer_required, owned_or_404

PAGE_SIZE = 20


def _register_letters(customer):
    return Letter.objects.incoming().filter(customer=customer).order_by("-created_at", "-id")


@customer_required
def letter_list(request):
    form = LetterFilterForm(request.GET or None)
    letters = _register_letters(request.customer)
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("od"):
            letters = letters.filter(created_at__date__gte=form.cleaned_data["od"])
        if form.cleaned_data.get("do"):
            letters = letters.filter(created_at__date__lte=form.cleaned_data["do"])
    page = page_of(request, letters, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "portal/letters/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@customer_required
def letter_detail(request, pk):
    replies = Letter.objects.replies().prefetch_related("attachments")
    letter = owned_or_404(
        Letter.objects.incoming().prefetch_related(
            "attachments", "status_changes", Prefetch("replies", queryset=replies)
        ),
        request.customer,
        pk=pk,
    )
    change = DataChangeRequest.objects.filter(letter=letter).first()
    return render(
        request,
        "portal/letters/detail.html",
        {
            "letter": letter,
            "data_change_rows": [r for r in change.rows() if r["changed"]] if change else [],
        },
    )


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
