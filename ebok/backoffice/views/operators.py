"""Operators and roles (/obsluga/operatorzy/): list, create (an e-mail with a one-time
set-password link; TOTP enrolment is forced at the first login), change roles,
disable/enable, reset the authenticator, login history. `accounts.manage_operators`
(administrators); auditors see the pages read-only. The set-password page itself
(`account_setup`) needs no login: the token in the link is the proof."""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Max, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts import operators, services
from ebok.accounts.forms import ResetPasswordForm
from ebok.accounts.models import LoginEvent, User
from ebok.backoffice.permissions import operator_required
from ebok.core.audit import log_action

PERM = "accounts.manage_operators"
HISTORY_ROWS = 20


def _role_choices():
    return [(name, label) for name, label in operators.ROLES.items()]


class OperatorForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Login"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={
            "invalid": gettext_lazy("Login może zawierać litery, cyfry i znaki . @ + - _.")
        },
    )
    first_name = forms.CharField(label=gettext_lazy("Imię"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Nazwisko"), max_length=150, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Adres e-mail"),
        help_text=gettext_lazy("Na ten adres wyślemy odnośnik do ustawienia hasła."),
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Role"),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[operators.OPERATOR],
        error_messages={"required": gettext_lazy("Wybierz co najmniej jedną rolę.")},
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Ten login jest już zajęty."))
        return username


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Role"),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@operator_required(PERM)
@require_http_methods(["GET"])
def operator_list(request):
    people = (
        operators.backoffice_users()
        .annotate(
            last_success=Max("login_events__created_at", filter=Q(login_events__success=True))
        )
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.filter(name__in=list(operators.ROLES)))
        )
        .order_by("username")
    )
    enrolled = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=people).values_list("user_id", flat=True)
    )
    rows = [
        {
            "person": p,
            "roles": [operators.ROLES[g.name] for g in p.groups.all()],
            "enrolled": p.pk in enrolled,
        }
        for p in people
    ]
    return render(request, "backoffice/operators/list.html", {"rows": rows})


@operator_required(PERM)
@require_http_methods(["GET", "POST"])
def operator_new(request):
    form = OperatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = operators.create_operator(
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
            request=request,
        )
        messages.success(
            request,
            _("Utworzono konto %(login)s. Wysłaliśmy na %(email)s odnośnik do ustawienia hasła.")
            % {"login": person.username, "email": person.email},
        )
        return redirect("backoffice:operator", pk=person.pk)
    return render(request, "backoffice/operators/new.html", {"form": form})


def _person(pk):
    return get_object_or_404(operators.backoffice_users(), pk=pk)


@operator_required(PERM)
@require_http_methods(["GET"])
def operator_detail(request, pk):
    person = _person(pk)
    roles = operators.role_names(person)
    context = {
        "person": person,
        "roles": [operators.ROLES[r] for r in roles],
        "roles_form": RolesForm(initial={"roles": roles}),
        "enrolled": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "events": LoginEvent.objects.filter(user=person).order_by("-created_at")[:HISTORY_ROWS],
        "is_self": person.pk == request.user.pk,
        "has_password": person.has_usable_password(),
    }
    return render(request, "backoffice/operators/detail.html", context)


def _refused(request, exc, pk):
    messages.error(request, str(exc))
    return redirect("backoffice:operator", pk=pk)


@require_POST
@operator_required(PERM)
def operator_roles(request, pk):
    person = _person(pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nieprawidłowy wybór ról."))
        return redirect("backoffice:operator", pk=pk)
    try:
        operators.set_roles(person, form.cleaned_data["roles"], by=request.user, request=request)
    except operators.OperatorError as exc:
        return _refused(request, exc, pk)
    messages.success(request, _("Zapisano role."))
    if not form.cleaned_data["roles"]:
        # Without a role the person left the back office: back to the list.
        return redirect("backoffice:operators")
    return redirect("backoffice:operator", pk=pk)


@require_POST
@operator_required(PERM)
def operator_active(request, pk):
    person = _person(pk)
    active = request.POST.get("active") == "1"
    try:
        operators.set_active(person, active, by=request.user, request=request)
    except operators.OperatorError as exc:
        return _refused(request, exc, pk)
    messages.success(
        request,
        _("Konto włączone.") if active else _("Konto wyłączone; jego sesje zostały zakończone."),
    )
    return redirect("backoffice:operator", pk=pk)


@require_POST
@operator_required(PERM)
def operator_reset_2fa(request, pk):
    person = _person(pk)
    operators.reset_authenticator(person, request=request)
    messages.success(
        request,
        _(
            "Usunięto aplikację uwierzytelniającą i kody zapasowe; sesje zostały zakończone. "
            "Przy następnym logowaniu %(login)s włączy weryfikację dwuetapową od nowa."
        )
        % {"login": person.username},
    )
    if person.pk == request.user.pk:
        return redirect("portal:login")
    return redirect("backoffice:operator", pk=pk)


@require_POST
@operator_required(PERM)
def operator_invite(request, pk):
    person = _person(pk)
    if not person.email:
        messages.error(request, _("To konto nie ma adresu e-mail."))
    else:
        operators.send_invitation(person, request=request)
        messages.success(
            request, _("Wysłaliśmy na %(email)s nowy odnośnik.") % {"email": person.email}
        )
    return redirect("backoffice:operator", pk=pk)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def account_setup(request, uidb64, token):
    """The set-password page of a new operator (or of the first administrator)."""
    person = operators.user_for_setup(uidb64, token)
    if person is None:
        return render(request, "backoffice/operators/setup_invalid.html", status=400)
    form = ResetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # the token is derived from the password hash: now spent
        services.password_changed(person)
        log_action("accounts.operator.password_set", request=request, user=person, obj=person)
        messages.success(
            request,
            _(
                "Hasło zostało ustawione. Zaloguj się; przy pierwszym logowaniu włączysz "
                "weryfikację dwuetapową."
            ),
        )
        return redirect("portal:login")
    return render(request, "backoffice/operators/setup.html", {"form": form, "person": person})
