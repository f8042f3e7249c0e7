"""Wysłanie uwagi: without logging in, with CAPTCHA, throttling and a tracking link."""

import re

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ebok.core.models import OutgoingEmail
from ebok.letters import services
from ebok.letters.models import Letter, LetterKind, LetterStatus, RemarkType
from tests.letters.files import PNG, captcha_answer, upload

URL = reverse("portal:remark_new")


def remark_data(client, **overrides):
    data = {
        **captcha_answer(client, URL),
        "remark_type": RemarkType.objects.get(name="Zgłoszenie").pk,
        "concerns_address": "ul. Gdańska 12, Bydgoszcz",
        "text": "Grzejniki na klatce schodowej są zimne.",
        "contact_name": "Anna Nowak",
        "email": "anna@example.com",
        "phone": "",
    }
    data.update(overrides)
    return data


def setup_function():
    cache.clear()


def test_the_form_offers_the_default_remark_types(client, db):
    html = client.get(URL).content.decode()
    assert "Internetowy wniosek do PEC" in html
    assert "Zgłoszenie reklamacji do faktury" in html
    assert "Dopuszczalne formaty" in html  # the configurable formats text
    assert 'name="captcha_1"' in html


def test_a_remark_is_registered_and_the_sender_gets_a_tracking_link(client, db):
    response = client.post(
        URL, remark_data(client, attachments=[upload("zdjecie.png", PNG, "image/png")]), follow=True
    )
    letter = Letter.objects.get()
    html = response.content.decode()
    assert letter.customer is None
    assert letter.kind == LetterKind.REMARK
    assert letter.number in html
    link = re.search(r'href="(http[^"]+/uwagi/sprawa/[^"]+/)"', html).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    assert token not in letter.tracking_token_hash
    assert letter.tracking_token_hash == Letter.hash_token(token)
    mail = OutgoingEmail.objects.get()
    assert mail.to == ["anna@example.com"]
    assert link in mail.body and letter.number in mail.body
    tracking = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert tracking.status_code == 200
    assert "przyjęte" in tracking.content.decode()
    assert "zdjecie.png" in tracking.content.decode()


def test_a_complaint_type_gets_the_complaint_deadline(client, db):
    complaint = RemarkType.objects.get(name="Zgłoszenie reklamacji do faktury")
    client.post(URL, remark_data(client, remark_type=complaint.pk))
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.COMPLAINT
    assert (letter.due_date - timezone.localdate(letter.created_at)).days == 14


def test_a_wrong_captcha_is_refused_and_the_text_is_kept(client, db):
    response = client.post(URL, remark_data(client, captcha_1="zle"))
    html = response.content.decode()
    assert "Kod z obrazka jest nieprawidłowy" in html
    assert "Grzejniki na klatce schodowej są zimne." in html
    assert Letter.objects.count() == 0


def test_email_or_phone_is_required(client, db):
    response = client.post(URL, remark_data(client, email="", phone=""))
    assert "Podaj adres e-mail lub numer telefonu." in response.content.decode()
    assert Letter.objects.count() == 0
    client.post(URL, remark_data(client, email="", phone="+48 52 123 45 67"))
    assert Letter.objects.get().sender_phone == "+48 52 123 45 67"


def test_submissions_are_throttled_per_ip(client, db, settings):
    settings.EBOK_REMARK_RATE_PER_HOUR = 2
    for _ in range(2):
        assert client.post(URL, remark_data(client)).status_code == 302
    response = client.post(URL, remark_data(client))
    assert response.status_code == 429
    assert "zbyt wiele uwag" in response.content.decode()
    assert Letter.objects.count() == 2
    other_ip = client.post(URL, remark_data(client), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def test_a_double_submit_creates_one_remark(client, db):
    data = remark_data(client)
    client.post(URL, data)
    # The same form again (CAPTCHA answers are single-use, so only the token can tell).
    data.update(captcha_answer(client, URL))
    data["form_token"] = Letter.objects.get().submission_key
    response = client.post(URL, data)
    assert Letter.objects.count() == 1
    assert response.status_code == 302 and response["Location"] == reverse("portal:remark_done")


def test_a_wrong_tracking_token_is_404(client, db):
    client.post(URL, remark_data(client))
    assert client.get(reverse("portal:remark_tracking", args=["x" * 43])).status_code == 404
    assert client.get(reverse("portal:remark_tracking", args=["short"])).status_code == 404


def test_the_tracking_page_shows_the_reply_with_its_pdf(client, db, operator):
    result = services.submit_remark(
        description="Zgłoszenie", body="Zimno", sender_name="A", sender_email="a@example.com"
    )
    reply = services.send_reply(result.letter, text="Sprawdziliśmy instalację.", user=operator)
    page = client.get(reverse("portal:remark_tracking", args=[result.tracking_token]))
    html = page.content.decode()
    assert "Sprawdziliśmy instalację." in html
    assert reply.number in html
    assert "udzielono odpowiedzi" in html
    pdf = reply.attachments.get(source="document")
    download = client.get(
        reverse("portal:remark_tracking_attachment", args=[result.tracking_token, pdf.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Another remark's attachment is not reachable with this token.
    other = services.submit_remark(description="x", body="y")
    other_reply = services.send_reply(other.letter, text="inna", user=operator)
    other_pdf = other_reply.attachments.get(source="document")
    assert (
        client.get(
            reverse("portal:remark_tracking_attachment", args=[result.tracking_token, other_pdf.pk])
        ).status_code
        == 404
    )
    assert Letter.objects.get(pk=result.letter.pk).status == LetterStatus.ANSWERED


def test_remark_html_is_shown_escaped_in_the_back_office(operator_client, db):
    from django.test import Client

    anon = Client()
    anon.post(
        URL,
        remark_data(
            anon,
            text='<script>alert("x")</script><b>pogrubione</b>',
            contact_name="<img src=x onerror=alert(1)>",
        ),
    )
    letter = Letter.objects.get()
    html = operator_client.get(
        reverse("backoffice:letter_detail", args=[letter.pk])
    ).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    inbox = operator_client.get(reverse("backoffice:letters")).content.decode()
    assert "<img src=x" not in inbox


def test_the_picture_has_an_audio_alternative_and_no_question_in_words(client, db):
    """The old question ("Ile to jest siedem plus osiem?") was solved by one regular
    expression; the alternative is now the same code read aloud (tests/security)."""
    html = client.get(URL, {"pytanie": "1"}).content.decode()
    assert 'name="captcha_1"' in html
    assert "Ile to jest" not in html
    assert "Odsłuchaj kod (nagranie WAV)" in html and "/captcha/dzwiek/" in html
