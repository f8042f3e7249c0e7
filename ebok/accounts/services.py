"""Use cases of the account lifecycle: registration, e-mail confirmation, verification by
an operator, one-time passwords posted by letter, access to further customers."""

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import pesel as stdnum_pesel

from ebok.accounts.models import OneTimePassword, Registration, User
from ebok.billing.models import Invoice
from ebok.contracts.models import Contract
from ebok.core.audit import log_action
from ebok.core.mail import queue_mail
from ebok.core.numbering import next_number
from ebok.customers.models import Customer, CustomerAccess

LETTER_SERIES = "HJ"
# No 0/O, 1/l/I: the password is read from paper and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105
PASSWORD_LENGTH = 14


class RegistrationError(Exception):
    """A use case refused: the message is Polish and meant for the operator."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_tax_id(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def is_valid_tax_id(value: str) -> bool:
    digits = normalise_tax_id(value)
    return stdnum_nip.is_valid(digits) or stdnum_pesel.is_valid(digits)


# --- matching ---------------------------------------------------------------------------


def match(registration: Registration) -> None:
    """Fill the match fields from billing data. The applicant never sees the result."""
    customer = Customer.objects.filter(
        payer_code=registration.payer_code.strip(), cancelled_at__isnull=True
    ).first()
    registration.customer = customer
    registration.payer_code_matches = customer is not None
    tax_id = normalise_tax_id(registration.tax_id)
    registration.tax_id_matches = bool(
        customer and tax_id and tax_id in {customer.nip, customer.pesel}
    )
    number = registration.document_number.strip()
    # The same statements whether or not anything matched (no short-circuit, id 0 for
    # no customer): the applicant's answer must not take longer for a real customer.
    customer_id = customer.pk if customer is not None else 0
    invoice_found = Invoice.objects.filter(customer_id=customer_id, number__iexact=number).exists()
    contract_found = Contract.objects.filter(
        customer_id=customer_id, number__iexact=number
    ).exists()
    registration.document_matches = bool(customer and number and (invoice_found or contract_found))


# --- registration and confirmation --------------------------------------------------------


def _confirmation_link(token: str) -> str:
    return settings.EBOK_BASE_URL + reverse("portal:registration_confirm", args=[token])


@transaction.atomic
def register(*, data: dict, consent_text: str, terms_version: str, ip: str | None) -> Registration:
    """Store an application and mail the confirmation link (through the outbox)."""
    token = secrets.token_urlsafe(32)
    registration = Registration(
        kind=Registration.Kind.ACCOUNT,
        payer_code=data["payer_code"].strip(),
        name=data.get("name", ""),
        address=data.get("address", ""),
        tax_id=normalise_tax_id(data["tax_id"]),
        document_number=data["document_number"].strip(),
        email=data["email"],
        consent_personal_data=True,
        consent_text=consent_text,
        marketing_objection=bool(data.get("marketing_objection")),
        terms_version=terms_version,
        data_correct_declared=True,
        ip=ip,
        token_hash=hash_token(token),
        token_expires_at=timezone.now() + timedelta(days=settings.EBOK_REGISTRATION_LINK_DAYS),
    )
    match(registration)
    registration.save()
    queue_mail(
        "accounts/email/registration_confirm",
        [registration.email],
        {"link": _confirmation_link(token), "days": settings.EBOK_REGISTRATION_LINK_DAYS},
    )
    return registration


def registration_for_token(token: str) -> Registration | None:
    return Registration.objects.filter(token_hash=hash_token(token)).first()


@transaction.atomic
def confirm(registration: Registration) -> bool:
    """Confirm the e-mail address once. True if this call confirmed it."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.AWAITING_CONFIRMATION:
        return False
    if registration.token_expires_at and registration.token_expires_at <= timezone.now():
        return False
    registration.status = Registration.Status.AWAITING_VERIFICATION
    registration.email_confirmed_at = timezone.now()
    registration.save(update_fields=["status", "email_confirmed_at"])
    return True


def is_expired(registration: Registration) -> bool:
    return (
        registration.status == Registration.Status.AWAITING_CONFIRMATION
        and registration.token_expires_at is not None
        and registration.token_expires_at <= timezone.now()
    )


def purge_unconfirmed(now=None, dry_run=False) -> int:
    """Delete applications whose confirmation link expired unused."""
    now = now or timezone.now()
    stale = Registration.objects.filter(
        status=Registration.Status.AWAITING_CONFIRMATION, token_expires_at__lte=now
    )
    count = stale.count()
    if not dry_run:
        stale.delete()
    return count


@transaction.atomic
def request_access(*, user: User, data: dict, ip: str | None) -> Registration:
    """A logged-in user (e.g. a property manager) asks for one more customer."""
    registration = Registration(
        kind=Registration.Kind.ACCESS,
        status=Registration.Status.AWAITING_VERIFICATION,
        payer_code=data["payer_code"].strip(),
        tax_id=normalise_tax_id(data["tax_id"]),
        document_number=data["document_number"].strip(),
        email=user.email,
        name=user.get_full_name(),
        consent_personal_data=True,
        data_correct_declared=True,
        user=user,
        ip=ip,
        email_confirmed_at=timezone.now(),
    )
    match(registration)
    registration.save()
    return registration


# --- password and login reminders ----------------------------------------------------------

REMINDER_PASSWORD, REMINDER_LOGIN = "password", "login"


def request_reminder(what: str, identifier: str) -> None:
    """Enqueue the reminder: the request does the same work whether or not an account
    matches, so neither its answer nor its timing tells (the lookup happens in the task).
    """
    send_reminder.enqueue(what, identifier.strip()[:254])


@task()
def send_reminder(what: str, identifier: str) -> str:
    """Look the account up and mail the reset link or the logins (if there is one)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.db.models import Q
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if what == REMINDER_PASSWORD:
        user = (
            User.objects.filter(
                Q(username=identifier) | Q(email__iexact=identifier), is_active=True
            )
            .exclude(email="")
            .order_by("pk")
            .first()
        )
        if user is None or not user.has_usable_password() or user.must_change_password:
            return "no account"
        token = default_token_generator.make_token(user)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = settings.EBOK_BASE_URL + reverse("portal:password_reset", args=[uid, token])
        queue_mail("accounts/email/password_reset", [user.email], {"user": user, "link": link})
        return "sent"
    users = list(User.objects.filter(email__iexact=identifier, is_active=True).order_by("username"))
    if not users:
        return "no account"
    queue_mail("accounts/email/login_reminder", [users[0].email], {"users": users})
    return "sent"


# --- operator verification ------------------------------------------------------------------


def _new_login(registration: Registration) -> str:
    base = (
        registration.email.lower()
        if settings.EBOK_LOGIN_SCHEME == "email"
        else (registration.payer_code)
    )
    login, i = base, 1
    while User.objects.filter(username__iexact=login).exists():
        i += 1
        login = f"{base}-{i}"
    return login


@transaction.atomic
def approve(registration: Registration, *, operator: User, request=None) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.AWAITING_VERIFICATION:
        raise RegistrationError(_("Ten wniosek nie czeka na weryfikację."))
    if registration.customer is None:
        raise RegistrationError(_("Wniosek nie wskazuje istniejącego kontrahenta."))
    now = timezone.now()
    if registration.kind == Registration.Kind.ACCESS:
        CustomerAccess.objects.get_or_create(user=registration.user, customer=registration.customer)
        registration.status = Registration.Status.ACTIVE
        queue_mail(
            "accounts/email/access_granted",
            [registration.user.email],
            {"customer": registration.customer},
        )
    else:
        user = User(
            username=_new_login(registration),
            email=registration.email,
            must_change_password=True,
        )
        user.set_unusable_password()
        user.save()
        CustomerAccess.objects.create(user=user, customer=registration.customer)
        registration.user = user
        registration.status = Registration.Status.APPROVED
    registration.decided_by = operator
    registration.decided_at = now
    registration.save()
    log_action(
        "accounts.registration.approved",
        request=request,
        user=operator,
        obj=registration,
        data={
            "kind": registration.kind,
            "customer": registration.customer.payer_code,
            "login": registration.user.username,
        },
    )
    return registration


@transaction.atomic
def reject(registration: Registration, *, operator: User, reason: str, request=None):
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.AWAITING_VERIFICATION:
        raise RegistrationError(_("Ten wniosek nie czeka na weryfikację."))
    registration.status = Registration.Status.REJECTED
    registration.rejection_reason = reason
    registration.decided_by = operator
    registration.decided_at = timezone.now()
    registration.save()
    queue_mail(
        "accounts/email/registration_rejected",
        [registration.email],
        {"registration": registration, "reason": reason},
    )
    log_action(
        "accounts.registration.rejected",
        request=request,
        user=operator,
        obj=registration,
        data={"reason": reason},
    )
    return registration


def generate_password() -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isalpha() for c in password) and any(c.isdigit() for c in password):
            return password


@dataclass
class IssuedPasswordNotice:
    registration: Registration
    login: str
    password: str  # clear text: only ever put into the PDF, never stored or logged
    number: str
    date: object
    address_lines: list


@transaction.atomic
def issue_password_notice(
    registration: Registration, *, operator: User, request=None
) -> IssuedPasswordNotice:
    """Issue a one-time password for an approved registration, voiding any earlier one.

    The clear password exists only in the returned object, which the caller renders into
    the letter PDF. What is stored is its hash (in `User.password`) and the letter number.
    """
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user", "customer")
        .get(pk=registration.pk)
    )
    if registration.kind != Registration.Kind.ACCOUNT or registration.status not in {
        Registration.Status.APPROVED,
        Registration.Status.LETTER_POSTED,
    }:
        raise RegistrationError(_("Dla tego wniosku nie można wydać hasła."))
    now = timezone.now()
    user = registration.user
    regenerated = OneTimePassword.objects.filter(user=user, voided_at__isnull=True).update(
        voided_at=now
    )
    password = generate_password()
    user.password = make_password(password)
    user.must_change_password = True
    user.password_expires_at = now + timedelta(days=settings.EBOK_ONE_TIME_PASSWORD_DAYS)
    user.save(update_fields=["password", "must_change_password", "password_expires_at"])
    number = next_number(LETTER_SERIES)
    OneTimePassword.objects.create(
        user=user,
        registration=registration,
        issued_by=operator,
        expires_at=user.password_expires_at,
        letter_number=number,
    )
    registration.status = Registration.Status.LETTER_POSTED
    registration.letter_number = number
    registration.letter_printed_at = now
    registration.save(update_fields=["status", "letter_number", "letter_printed_at"])
    log_action(
        "accounts.one_time_password.regenerated"
        if regenerated
        else "accounts.one_time_password.issued",
        request=request,
        user=operator,
        obj=registration,
        data={"letter": number, "login": user.username},
    )
    return IssuedPasswordNotice(
        registration=registration,
        login=user.username,
        password=password,
        number=number,
        date=timezone.localdate(),
        address_lines=registration.customer.mailing_address,
    )


def password_changed(user: User) -> None:
    """After any password change: the one-time password is spent, the account is active."""
    now = timezone.now()
    if user.must_change_password or user.password_expires_at:
        user.must_change_password = False
        user.password_expires_at = None
        user.save(update_fields=["must_change_password", "password_expires_at"])
        OneTimePassword.objects.filter(
            user=user, voided_at__isnull=True, used_at__isnull=True
        ).update(used_at=now)
        Registration.objects.filter(
            user=user, kind=Registration.Kind.ACCOUNT, status=Registration.Status.LETTER_POSTED
        ).update(status=Registration.Status.ACTIVE)


def random_recovery_code() -> str:
    return "-".join(
        "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(4))
        for _ in range(3)
    )
