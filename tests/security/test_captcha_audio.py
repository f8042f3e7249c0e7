"""Finding 5 of the outside audit: the accessible alternative to the CAPTCHA picture was
a question in words that one regular expression answered. Now it is the same code read
aloud by a local speech synthesiser; nothing in the page says it in text."""

import io
import re
import wave

import pytest
from captcha.models import CaptchaStore

from ebok.core import captcha_audio

needs_tts = pytest.mark.skipif(
    captcha_audio.synthesiser() is None,
    reason="no speech synthesiser: apt-get install espeak-ng flite",
)


def _key(html: str) -> str:
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)


@pytest.mark.parametrize("url", ["/uwagi/nowa/", "/rejestracja/"])
def test_the_page_offers_audio_and_never_the_code_or_a_question_in_text(client, db, url):
    html = client.get(url).content.decode()
    key = _key(html)
    challenge = CaptchaStore.objects.get(hashkey=key).challenge
    assert f'href="/captcha/dzwiek/{key}.wav"' in html
    assert challenge not in html and challenge.lower() not in html.lower().split("captcha")[0]
    assert not re.search(r"Ile to jest \w+ plus \w+", html)


@needs_tts
def test_the_audio_is_a_real_recording_of_the_code(client, db):
    key = _key(client.get("/uwagi/nowa/").content.decode())
    response = client.get(f"/captcha/dzwiek/{key}.wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    assert 2 < seconds < 20  # four characters, twice, slowly


@needs_tts
def test_the_code_heard_is_accepted_by_the_form(client, db):
    """A listener types what they hear into the same field as the picture's readers."""
    from tests.letters.files import form_token

    html = client.get("/uwagi/nowa/").content.decode()
    key = _key(html)
    assert client.get(f"/captcha/dzwiek/{key}.wav").status_code == 200
    from ebok.letters.models import RemarkType

    remark_type = RemarkType.objects.filter(is_active=True).first() or RemarkType.objects.create(
        name="Zgłoszenie"
    )
    response = client.post(
        "/uwagi/nowa/",
        {
            "remark_type": remark_type.pk,
            "concerns_address": "ul. Długa 5",
            "text": "Zimne kaloryfery.",
            "contact_name": "Jan Kowalski",
            "email": "jan@example.com",
            "captcha_0": key,
            "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
            "form_token": form_token(client, "/uwagi/nowa/"),
        },
    )
    assert response.status_code == 302


def test_an_unknown_or_expired_key_has_no_audio(client, db):
    assert client.get("/captcha/dzwiek/0123456789abcdef.wav").status_code == 404


def test_the_audio_is_limited_per_client(client, db, settings):
    settings.EBOK_CAPTCHA_AUDIO_PER_10_MINUTES = 2
    answers = [client.get("/captcha/dzwiek/nieznany.wav").status_code for _ in range(3)]
    assert answers == [404, 404, 429]


def test_the_spoken_text_spells_the_code_twice():
    assert captcha_audio.spoken_text("abcd") == "A. B. C. D. ... A. B. C. D."
