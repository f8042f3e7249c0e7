"""Acceptance of the terms of use by customer users.

A customer user accepts each new terms version once. Accepting at registration counts:
the registration records the version shown on its form, and the first check after the
account exists turns that into an acceptance row (time and address of the registration).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from ebok.accounts.models import Registration, TermsAcceptance, User
from ebok.core.audit import log_action
from ebok.core.models import TermsDocument


def has_accepted(user: User, document_id: int, version: str) -> bool:
    if TermsAcceptance.objects.filter(user=user, document_id=document_id).exists():
        return True
    registration = (
        Registration.objects.filter(
            user=user, kind=Registration.Kind.ACCOUNT, terms_version=version
        )
        .order_by("created_at")
        .first()
    )
    if registration is None:
        return False
    _record(
        user,
        document_id,
        accepted_at=registration.created_at,
        ip=registration.ip,
        source=TermsAcceptance.Source.REGISTRATION,
    )
    return True


def _record(user, document_id, *, accepted_at, ip, source) -> None:
    try:
        with transaction.atomic():
            TermsAcceptance.objects.create(
                user=user, document_id=document_id, accepted_at=accepted_at, ip=ip, source=source
            )
    except IntegrityError:
        pass  # accepted a moment ago in another tab: once is enough


def accept(user: User, document: TermsDocument, *, request=None, ip=None) -> None:
    _record(
        user,
        document.pk,
        accepted_at=timezone.now(),
        ip=ip,
        source=TermsAcceptance.Source.PAGE,
    )
    log_action(
        "accounts.terms.accepted",
        request=request,
        user=user,
        obj=document,
        data={"version": document.version},
    )
