"""Use cases of the correspondence: submit (one function per kind over one core),
assign, change status, note, reply.

Every submission is one transaction: the letter, its number (`core.numbering`), its
status history, its attachments and the notification mail are stored together or not
at all. Files written before a failure are removed again, so a failed submission
leaves no letter, no number and no file behind.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ebok.core import uploads
from ebok.core.audit import log_action
from ebok.core.mail import queue_mail
from ebok.core.numbering import next_number
from ebok.letters.models import (
    Attachment,
    InternalNote,
    KindDeadline,
    Letter,
    LetterKind,
    LetterStatus,
    LetterStatusChange,
)
from ebok.letters.pdf import LetterPdfRenderer

INCOMING_SERIES = "PR"
OUTGOING_SERIES = "PW"


class DuplicateSubmission(Exception):
    """The same form was submitted again; `letter` is the one the first submit created."""

    def __init__(self, letter):
        self.letter = letter
        super().__init__(letter.number)


class SubmissionFailed(Exception):
    """Storing the letter's files failed; nothing was saved."""


@dataclass
class Submitted:
    letter: Letter
    tracking_token: str = ""


def now():
    return timezone.now()


def new_submission_key() -> str:
    """The one-time token a form carries so that a double submit finds the first letter."""
    return secrets.token_hex(16)


def due_date_for(kind: str, created_at):
    days = KindDeadline.days_for(kind)
    if days is None:
        return None
    return timezone.localtime(created_at).date() + timedelta(days=days)


def tracking_url(token: str) -> str:
    return settings.EBOK_BASE_URL + reverse("portal:remark_tracking", args=[token])


def letter_url(letter: Letter) -> str:
    return settings.EBOK_BASE_URL + reverse("portal:letter_detail", args=[letter.pk])


def _recipients(letter: Letter) -> list[str]:
    if letter.customer_id is None:
        return [letter.sender_email] if letter.sender_email else []
    emails = []
    if letter.created_by is not None and letter.created_by.email:
        emails.append(letter.created_by.email)
    elif letter.customer.email:
        emails.append(letter.customer.email)
    return emails


def _store_attachment(letter, stored: uploads.StoredFile, source=Attachment.Source.UPLOAD):
    return Attachment.objects.create(
        letter=letter,
        source=source,
        original_name=stored.name,
        file=stored.path,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        created_at=letter.created_at,
    )


def _existing(submission_key):
    if not submission_key:
        return None
    return Letter.objects.filter(submission_key=submission_key).first()


def _submit(
    letter: Letter,
    *,
    files=(),
    submission_key: str | None = None,
    with_document: bool = False,
    with_tracking: bool = False,
    request=None,
    after_create=None,
) -> Submitted:
    """The core every kind of incoming letter goes through: `letter` is unsaved and holds
    what its kind says (kind, customer, texts, sender, answers); this gives it a number,
    a status and a deadline and stores it with its attachments (already validated by
    `uploads.validate_uploads`), its PDF, the audit entry and the notification mail in
    one transaction. Raises DuplicateSubmission or SubmissionFailed.

    `after_create(letter)` runs inside the transaction (e.g. to store the data-change
    record that belongs to the letter).
    """
    existing = _existing(submission_key)
    if existing is not None:
        raise DuplicateSubmission(existing)
    token = secrets.token_urlsafe(32) if with_tracking else ""  # 256 bits
    saved_paths: list[str] = []
    try:
        with transaction.atomic():
            created_at = now()
            letter.number = next_number(INCOMING_SERIES, when=created_at)
            letter.description = letter.description[:200]
            letter.status = LetterStatus.RECEIVED
            letter.due_date = due_date_for(letter.kind, created_at)
            if letter.created_by is not None and not letter.created_by.is_authenticated:
                letter.created_by = None
            letter.tracking_token_hash = Letter.hash_token(token) if token else ""
            letter.submission_key = submission_key or None
            letter.created_at = created_at
            letter.save(force_insert=True)
            LetterStatusChange.objects.create(
                letter=letter, new_status=LetterStatus.RECEIVED, created_at=created_at
            )
            for checked in files:
                stored = uploads.store_file(checked)
                saved_paths.append(stored.path)
                _store_attachment(letter, stored)
            if after_create is not None:
                after_create(letter)
            if with_document:
                name, mimetype, content = LetterPdfRenderer().generate(letter)
                stored = uploads.store_content(content, name, mimetype)
                saved_paths.append(stored.path)
                _store_attachment(letter, stored, Attachment.Source.DOCUMENT)
            log_action(
                "letters.letter.submitted",
                request=request,
                user=letter.created_by,
                obj=letter,
                data={"kind": letter.kind, "attachments": len(files)},
            )
            recipients = _recipients(letter)
            if recipients:
                url = (
                    tracking_url(token)
                    if token
                    else letter_url(letter)
                    if letter.customer_id
                    else ""
                )
                queue_mail("letters/email/registered", recipients, {"letter": letter, "url": url})
    except uploads.StorageFailure as exc:
        uploads.delete_stored(saved_paths)
        raise SubmissionFailed(str(exc)) from exc
    except IntegrityError:
        uploads.delete_stored(saved_paths)
        existing = _existing(submission_key)
        if existing is not None:
            raise DuplicateSubmission(existing) from None
        raise
    except BaseException:
        uploads.delete_stored(saved_paths)
        raise
    return Submitted(letter, token)


# The kinds a customer chooses on the "Nowe pismo" form.
LETTER_KINDS = (LetterKind.INCOMING, LetterKind.COMPLAINT)


def submit_letter(
    *,
    customer,
    description: str,
    body: str = "",
    kind: str = LetterKind.INCOMING,
    created_by=None,
    files=(),
    submission_key: str | None = None,
    request=None,
    after_create=None,
) -> Submitted:
    """A customer's letter or complaint ("Nowe pismo")."""
    if kind not in LETTER_KINDS:
        raise ValueError(f"submit_letter registers {LETTER_KINDS}, not {kind!r}")
    letter = Letter(
        kind=kind, customer=customer, description=description, body=body, created_by=created_by
    )
    return _submit(
        letter,
        files=files,
        submission_key=submission_key,
        request=request,
        after_create=after_create,
    )


def submit_remark(
    *,
    body: str,
    remark_type=None,
    description: str = "",
    sender_name: str = "",
    sender_email: str = "",
    sender_phone: str = "",
    concerns_address: str = "",
    files=(),
    submission_key: str | None = None,
    request=None,
) -> Submitted:
    """A remark of the public form, anonymous and followed by its tracking link; a
    complaint when its type says so. `Submitted.tracking_token` is the link's token."""
    is_complaint = remark_type is not None and remark_type.is_complaint
    letter = Letter(
        kind=LetterKind.COMPLAINT if is_complaint else LetterKind.REMARK,
        description=description or (remark_type.display_name if remark_type else ""),
        body=body,
        remark_type=remark_type,
        sender_name=sender_name,
        sender_email=sender_email,
        sender_phone=sender_phone,
        concerns_address=concerns_address,
    )
    return _submit(
        letter, files=files, submission_key=submission_key, with_tracking=True, request=request
    )


def online_request_data(request_type, form) -> dict:
    """The answers of a valid form of `request_type` as the letter stores them."""
    return {
        "type": request_type.code,
        "title": str(request_type.title),
        "fields": [
            {"name": n, "label": str(label), "value": str(value)}
            for n, label, value in request_type.summary(form)
        ],
    }


def submit_online_request(
    *, customer, request_type, form, user, files=(), submission_key=None, request=None
) -> Submitted:
    """An online request (a valid form of `request_type`): a letter carrying the type and
    the answers, with a PDF of them."""
    letter = Letter(
        kind=LetterKind.ONLINE_REQUEST,
        customer=customer,
        description=str(request_type.title),
        body=form.cleaned_data.get("comment", "") or "",
        request_type=request_type.code,
        structured_data=online_request_data(request_type, form),
        created_by=user,
    )
    return _submit(
        letter, files=files, submission_key=submission_key, with_document=True, request=request
    )


def submit_data_change(
    *, customer, old_values, new_values, user, files=(), submission_key=None, request=None
) -> Submitted:
    """A change-of-data request: letter "Zmiana danych Podmiotu - dokument eBOK" whose
    values are its `DataChangeRequest`."""
    from ebok.customers.models import DataChangeRequest

    def create_change(letter):
        DataChangeRequest.objects.create(
            customer=customer, letter=letter, old_values=old_values, new_values=new_values
        )

    letter = Letter(kind=LetterKind.DATA_CHANGE, customer=customer, created_by=user)
    return _submit(
        letter,
        files=files,
        submission_key=submission_key,
        request=request,
        after_create=create_change,
    )


# --- back office ------------------------------------------------------------------------


def change_status(letter, new_status, *, user, comment="", request=None):
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        old = letter.status
        if old == new_status:
            return letter
        letter.status = new_status
        letter.save(update_fields=["status", "updated_at"])
        LetterStatusChange.objects.create(
            letter=letter,
            old_status=old,
            new_status=new_status,
            changed_by=user,
            comment=comment[:300],
        )
        log_action(
            "letters.letter.status_changed",
            request=request,
            user=user,
            obj=letter,
            data={"from": old, "to": new_status, "comment": comment},
        )
    return letter


def assign(letter, operator, *, user, request=None):
    with transaction.atomic():
        letter.assigned_to = operator
        letter.save(update_fields=["assigned_to", "updated_at"])
        log_action(
            "letters.letter.assigned",
            request=request,
            user=user,
            obj=letter,
            data={"assigned_to": operator.get_username() if operator else None},
        )
        if operator is not None and letter.status == LetterStatus.RECEIVED:
            change_status(letter, LetterStatus.IN_PROGRESS, user=user, request=request)
    return letter


def add_note(letter, text, *, user, request=None):
    with transaction.atomic():
        note = InternalNote.objects.create(letter=letter, author=user, text=text)
        log_action(
            "letters.letter.note_added",
            request=request,
            user=user,
            obj=letter,
            data={"note_id": note.pk},
        )
    return note


def send_reply(letter, *, text, user, files=(), request=None):
    """The company's answer: an outgoing letter numbered `PW/...`, with a PDF the customer
    sees, and the incoming letter marked answered. One transaction, like a submission."""
    saved_paths: list[str] = []
    try:
        with transaction.atomic():
            created_at = now()
            answer = Letter.objects.create(
                number=next_number(OUTGOING_SERIES, when=created_at),
                kind=LetterKind.REPLY,
                customer=letter.customer,
                in_reply_to=letter,
                description=(_("Odpowiedź na pismo %(number)s") % {"number": letter.number})[:200],
                body=text,
                status=LetterStatus.CLOSED,
                created_by=user,
                created_at=created_at,
            )
            for checked in files:
                stored = uploads.store_file(checked)
                saved_paths.append(stored.path)
                _store_attachment(answer, stored)
            name, mimetype, content = LetterPdfRenderer().generate(answer)
            stored = uploads.store_content(content, name, mimetype)
            saved_paths.append(stored.path)
            _store_attachment(answer, stored, Attachment.Source.DOCUMENT)
            locked = Letter.objects.select_for_update().get(pk=letter.pk)
            locked.answered_at = created_at
            locked.save(update_fields=["answered_at", "updated_at"])
            if locked.status != LetterStatus.ANSWERED:
                change_status(
                    locked, LetterStatus.ANSWERED, user=user, comment=answer.number, request=request
                )
            log_action(
                "letters.letter.answered",
                request=request,
                user=user,
                obj=letter,
                data={"reply": answer.number, "attachments": len(files)},
            )
            recipients = _recipients(letter)
            if recipients:
                queue_mail(
                    "letters/email/answered",
                    recipients,
                    {
                        "letter": letter,
                        "reply": answer,
                        "url": "" if letter.customer_id is None else letter_url(letter),
                    },
                )
    except uploads.StorageFailure as exc:
        uploads.delete_stored(saved_paths)
        raise SubmissionFailed(str(exc)) from exc
    except BaseException:
        uploads.delete_stored(saved_paths)
        raise
    return answer


def mark_data_change_applied(change, *, user, request=None):
    with transaction.atomic():
        change.applied_at = now()
        change.applied_by = user
        change.save(update_fields=["applied_at", "applied_by"])
        log_action("customers.data_change.applied", request=request, user=user, obj=change.letter)
        if change.letter.is_open:
            change_status(
                change.letter,
                LetterStatus.CLOSED,
                user=user,
                comment=_("zmiana wprowadzona"),
                request=request,
            )
    return change
