"""Wysłanie uwagi: the public remark form (no login), its confirmation, and the tracking
page the sender reaches with the unguessable link from the confirmation and the e-mail."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ebok.core import ratelimit, uploads
from ebok.letters import services
from ebok.letters.models import Attachment, Letter
from ebok.portal.letter_forms import RemarkForm

SESSION_KEY = "ebok_last_remark"
RATE_WINDOW = 60 * 60


def _limit(request, count: bool) -> ratelimit.Verdict:
    """Sent remarks per client address and hour (only those that were sent count)."""
    check = ratelimit.hit if count else ratelimit.peek
    return check(
        "remarks",
        ratelimit.client(request),
        limit=settings.EBOK_REMARK_RATE_PER_HOUR,
        window=RATE_WINDOW,
    )


@never_cache
def remark_new(request):
    if request.method == "POST" and not _limit(request, count=False).allowed:
        return render(request, "portal/remarks/throttled.html", status=429)
    if request.method == "POST":
        form = RemarkForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            remark_type = data["remark_type"]
            try:
                result = services.submit_remark(
                    remark_type=remark_type,
                    body=data["text"],
                    files=data["attachments"],
                    sender_name=data["contact_name"],
                    sender_email=data["email"],
                    sender_phone=data["phone"],
                    concerns_address=data["concerns_address"],
                    submission_key=form.submission_key(),
                    request=request,
                )
            except services.DuplicateSubmission:
                if request.session.get(SESSION_KEY):
                    return redirect("portal:remark_done")
                form.add_error(None, _("Ten formularz został już wysłany."))
            except services.SubmissionFailed:
                form.add_error(
                    None,
                    _(
                        "Nie udało się zapisać załączników, więc uwaga nie została wysłana. "
                        "Wpisana treść została zachowana: dołącz pliki ponownie i wyślij jeszcze raz."
                    ),
                )
            else:
                _limit(request, count=True)
                request.session[SESSION_KEY] = {
                    "number": result.letter.number,
                    "token": result.tracking_token,
                    "email": result.letter.sender_email,
                }
                return redirect("portal:remark_done")
    else:
        form = RemarkForm(initial={"form_token": services.new_submission_key()})
    return render(request, "portal/remarks/new.html", {"form": form})


@never_cache
def remark_done(request):
    last = request.session.get(SESSION_KEY)
    if not last:
        return redirect("portal:remark_new")
    return render(
        request,
        "portal/remarks/done.html",
        {
            "number": last["number"],
            "email": last["email"],
            "tracking_url": services.tracking_url(last["token"]),
        },
    )


def _tracked_letter(token: str) -> Letter:
    if len(token) < 40 or len(token) > 64:
        raise Http404
    letter = Letter.objects.filter(tracking_token_hash=Letter.hash_token(token)).first()
    if letter is None:
        raise Http404
    return letter


@never_cache
def remark_tracking(request, token):
    letter = _tracked_letter(token)
    replies = Letter.objects.filter(in_reply_to=letter).prefetch_related("attachments")
    response = render(
        request,
        "portal/remarks/tracking.html",
        {"letter": letter, "replies": replies, "tracking_token": token},
    )
    # The token is in the URL: never send it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    return response


def tracking_attachment(request, token, pk):
    letter = _tracked_letter(token)
    attachment = (
        Attachment.objects.filter(pk=pk)
        .filter(
            letter__in=Letter.objects.filter(pk=letter.pk)
            | Letter.objects.filter(in_reply_to=letter)
        )
        .first()
    )
    if attachment is None:
        raise Http404
    return uploads.download_response(
        attachment.file.name, attachment.original_name, attachment.content_type
    )
