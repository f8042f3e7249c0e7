"""Verification of registrations and access requests; one-time password letters; a user's
login history. Everything here needs `accounts.verify_registration` and is audit-logged."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ebok.accounts import services
from ebok.accounts.forms import RejectForm
from ebok.accounts.models import LoginEvent, Registration, User
from ebok.accounts.password_notice_pdf import PasswordNoticePdf
from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action
from ebok.core.paging import page_of, query_without_page

PERM = "accounts.verify_registration"
PAGE_SIZE = 50
TABS = [
    ("do-weryfikacji", Registration.Status.AWAITING_VERIFICATION, gettext_lazy("Do weryfikacji")),
    ("do-wydruku", Registration.Status.APPROVED, gettext_lazy("Zatwierdzone, list do wydruku")),
    ("wyslane", Registration.Status.LETTER_POSTED, gettext_lazy("List wysłany")),
    ("aktywne", Registration.Status.ACTIVE, gettext_lazy("Aktywne")),
    ("odrzucone", Registration.Status.REJECTED, gettext_lazy("Odrzucone")),
    (
        "niepotwierdzone",
        Registration.Status.AWAITING_CONFIRMATION,
        gettext_lazy("E-mail niepotwierdzony"),
    ),
]


@operator_required(PERM)
def queue(request):
    slug = request.GET.get("stan", TABS[0][0])
    tab = next((t for t in TABS if t[0] == slug), TABS[0])
    registrations = (
        Registration.objects.filter(status=tab[1])
        .select_related("customer", "user")
        .order_by(
            "created_at" if tab[1] == Registration.Status.AWAITING_VERIFICATION else "-created_at"
        )
    )
    page = page_of(request, registrations, PAGE_SIZE)
    today = timezone.localdate()
    to_print_today = Registration.objects.filter(
        status=Registration.Status.APPROVED, kind=Registration.Kind.ACCOUNT, decided_at__date=today
    ).count()
    return render(
        request,
        "backoffice/registrations/queue.html",
        {
            "tabs": TABS,
            "tab": tab,
            "page": page,
            "page_query": query_without_page(request),
            "to_print_today": to_print_today,
        },
    )


@operator_required(PERM)
def detail(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("customer", "user", "decided_by"), pk=pk
    )
    log_action("accounts.registration.viewed", request=request, obj=registration)
    return render(
        request,
        "backoffice/registrations/detail.html",
        {
            "registration": registration,
            "reject_form": RejectForm(),
            "passwords": registration.passwords.select_related("issued_by"),
        },
    )


@require_POST
@operator_required(PERM)
def approve(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    try:
        registration = services.approve(registration, operator=request.user, request=request)
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        if registration.kind == Registration.Kind.ACCESS:
            messages.success(
                request, _("Dostęp przyznany; użytkownik dostał powiadomienie e-mailem.")
            )
        else:
            messages.success(
                request,
                _("Konto %(login)s utworzone. Wydrukuj list z hasłem jednorazowym.")
                % {"login": registration.user.username},
            )
    return redirect("backoffice:registration", pk=pk)


@require_POST
@operator_required(PERM)
def reject(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "backoffice/registrations/detail.html",
            {
                "registration": registration,
                "reject_form": form,
                "passwords": registration.passwords.select_related("issued_by"),
            },
            status=400,
        )
    try:
        services.reject(
            registration, operator=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Wniosek odrzucony; wnioskodawca dostał wiadomość z powodem."))
    return redirect("backoffice:registration", pk=pk)


def _pdf_response(letters) -> HttpResponse:
    filename, mimetype, content = PasswordNoticePdf().generate(letters)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@operator_required(PERM)
def letter(request, pk):
    """Print the letter: issues the one-time password. Once printed, it cannot be shown
    again; printing again ("regenerate") voids the previous password."""
    registration = get_object_or_404(Registration, pk=pk)
    regenerate = request.POST.get("regenerate") == "1"
    if registration.status == Registration.Status.LETTER_POSTED and not regenerate:
        messages.error(
            request,
            _(
                "List już wydrukowano; hasła nie można pokazać ponownie. Użyj „Wygeneruj nowe hasło”."
            ),
        )
        return redirect("backoffice:registration", pk=pk)
    try:
        issued = services.issue_password_notice(
            registration, operator=request.user, request=request
        )
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:registration", pk=pk)
    return _pdf_response([issued])


@operator_required(PERM)
def letters_today(request):
    """One PDF with every letter approved today and not yet printed (POST; GET goes back)."""
    if request.method != "POST":
        return redirect("backoffice:registrations")
    today = timezone.localdate()
    pending = Registration.objects.filter(
        status=Registration.Status.APPROVED, kind=Registration.Kind.ACCOUNT, decided_at__date=today
    ).order_by("decided_at")
    issued = [
        services.issue_password_notice(r, operator=request.user, request=request) for r in pending
    ]
    if not issued:
        messages.info(request, _("Nie ma dziś zatwierdzonych wniosków czekających na wydruk."))
        return redirect("backoffice:registrations")
    return _pdf_response(issued)


@operator_required(PERM)
def login_history(request, pk):
    person = get_object_or_404(User, pk=pk)
    events = LoginEvent.objects.filter(user=person).order_by("-created_at")
    page = page_of(request, events, PAGE_SIZE)
    log_action("accounts.login_history.viewed", request=request, obj=person)
    return render(
        request,
        "backoffice/registrations/login_history.html",
        {"person": person, "page": page, "page_query": query_without_page(request)},
    )
