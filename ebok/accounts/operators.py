"""Operators (back-office users) and their roles: create with a set-password link, change
roles, disable/enable, reset the authenticator. Used by the back office and by
`manage.py createadmin`. Every change is audit-logged here.

Roles are the groups of migrations 0002/0004: "Operator", "Administrator" and the
read-only "Audytor".
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.accounts.models import User
from ebok.core.audit import log_action
from ebok.core.mail import queue_mail

OPERATOR, ADMINISTRATOR, AUDITOR = "Operator", "Administrator", "Audytor"
ROLES = {
    OPERATOR: gettext_lazy("operator"),
    ADMINISTRATOR: gettext_lazy("administrator"),
    AUDITOR: gettext_lazy("audytor (tylko odczyt)"),
}


class OperatorError(Exception):
    """A refused change; the message is a Polish sentence for the administrator."""


class SetupTokenGenerator(PasswordResetTokenGenerator):
    """The one-time link to set the first password. Derived from the password hash and
    the last login, so it is spent once a password is set; valid EBOK_SETUP_LINK_HOURS."""

    key_salt = "ebok.accounts.operators.SetupTokenGenerator"

    def check_token(self, user, token):
        # Django's check reads PASSWORD_RESET_TIMEOUT (2 hours); a setup link lives
        # longer, since a new colleague may read the mail the next morning.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.EBOK_SETUP_LINK_HOURS * 3600


setup_tokens = SetupTokenGenerator()


def setup_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = setup_tokens.make_token(user)
    return settings.EBOK_BASE_URL + reverse("backoffice:account_setup", args=[uid, token])


def user_for_setup(uidb64: str, token: str) -> User | None:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if setup_tokens.check_token(user, token) else None


def role_names(user: User) -> list[str]:
    return [g.name for g in user.groups.all() if g.name in ROLES]


def backoffice_users():
    return User.objects.filter(groups__name__in=list(ROLES)).distinct()


def _active_administrators():
    return User.objects.filter(groups__name=ADMINISTRATOR, is_active=True).distinct()


def send_invitation(user: User, *, request=None) -> None:
    queue_mail(
        "accounts/email/operator_invitation",
        [user.email],
        {
            "user": user,
            "link": setup_link(user),
            "hours": settings.EBOK_SETUP_LINK_HOURS,
        },
        language=user.preferred_language or "pl",
    )
    log_action("accounts.operator.invitation_sent", request=request, obj=user)


def create_operator(
    *,
    username: str,
    email: str,
    roles: list[str],
    first_name="",
    last_name="",
    request=None,
    invite=True,
    password=None,
    via="backoffice",
) -> User:
    """A new back-office user. Without `password` the account has none until the person
    sets it through the e-mailed link; TOTP enrolment is forced at the first login."""
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        log_action(
            "accounts.operator.created",
            request=request,
            obj=user,
            data={"roles": sorted(roles), "email": email, "via": via},
        )
        if invite:
            send_invitation(user, request=request)
    return user


def set_roles(user: User, roles: list[str], *, by: User, request=None) -> None:
    old = sorted(role_names(user))
    new = sorted(r for r in roles if r in ROLES)
    if ADMINISTRATOR in old and ADMINISTRATOR not in new:
        if user.pk == by.pk:
            raise OperatorError(_("Nie możesz odebrać sobie roli administratora."))
        if user.is_active and _active_administrators().exclude(pk=user.pk).count() == 0:
            raise OperatorError(_("Musi pozostać co najmniej jeden aktywny administrator."))
    if old == new:
        return
    with transaction.atomic():
        keep = user.groups.exclude(name__in=list(ROLES))
        user.groups.set([*keep, *Group.objects.filter(name__in=new)])
        log_action(
            "accounts.operator.roles_changed",
            request=request,
            obj=user,
            data={"old": old, "new": new},
        )


def set_active(user: User, active: bool, *, by: User, request=None) -> None:
    if user.is_active == active:
        return
    if not active:
        if user.pk == by.pk:
            raise OperatorError(_("Nie możesz wyłączyć własnego konta."))
        if (
            user.groups.filter(name=ADMINISTRATOR).exists()
            and _active_administrators().exclude(pk=user.pk).count() == 0
        ):
            raise OperatorError(_("Musi pozostać co najmniej jeden aktywny administrator."))
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            user.end_all_sessions()
        log_action(
            "accounts.operator.enabled" if active else "accounts.operator.disabled",
            request=request,
            obj=user,
        )


def reset_authenticator(user: User, *, request=None) -> None:
    """Delete the TOTP device and the recovery codes and end every session: the next
    login asks for a new enrolment."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.end_all_sessions()
        log_action("accounts.operator.authenticator_reset", request=request, obj=user)
