"""Personal access tokens: a customer user's read-only key to the personal JSON feed.

Created and revoked by the user on /konto/tokeny/; every change is audit-logged.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ebok.accounts.models import PersonalAccessToken, User
from ebok.core.audit import log_action


class TokenLimitReached(Exception):
    pass


def tokens_for(user):
    return PersonalAccessToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def create_token(user, name: str, *, request=None) -> tuple[PersonalAccessToken, str]:
    """Create a token for `user`; returns it with the raw value, which exists only now."""
    with transaction.atomic():
        # Lock the user's row so two parallel requests cannot pass the limit together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= settings.EBOK_PERSONAL_TOKENS_PER_USER:
            raise TokenLimitReached(
                _("Możesz mieć najwyżej %(n)d aktywnych tokenów. Unieważnij nieużywany token.")
                % {"n": settings.EBOK_PERSONAL_TOKENS_PER_USER}
            )
        token, raw = PersonalAccessToken.generate(user, name)
        log_action(
            "accounts.personal_token.created",
            request=request,
            user=user,
            obj=token,
            data={"prefix": token.prefix},
        )
    return token, raw


def revoke_token(token: PersonalAccessToken, *, request=None, user=None) -> bool:
    """Revoke `token` (at once: the next request with it gets 401). False if it already was."""
    with transaction.atomic():
        updated = PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            log_action("accounts.personal_token.revoked", request=request, user=user, obj=token)
    return bool(updated)
