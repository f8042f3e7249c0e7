"""The spoken CAPTCHA: the same code as the picture, read aloud by a local speech
synthesiser (espeak-ng with its Polish voice, else flite), for people who cannot see the
picture. No third-party service is called; nothing in the page says the code in text.

Served at /captcha/dzwiek/<key>.wav. Each request runs the synthesiser (~20 ms), so it is
limited per client address; the form limits stay the second line of defence.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from captcha.models import CaptchaStore
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ebok.core import ratelimit

RATE_WINDOW = 10 * 60


def synthesiser() -> str | None:
    """The configured (EBOK_CAPTCHA_TTS) or installed speech synthesiser, or None."""
    configured = settings.EBOK_CAPTCHA_TTS
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("espeak-ng") or shutil.which("flite")


def spoken_text(challenge: str) -> str:
    """The characters one by one with pauses, said twice."""
    letters = ". ".join(challenge.upper())
    return f"{letters}. ... {letters}."


def synthesise(text: str, language: str) -> bytes | None:
    program = synthesiser()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ebok-captcha-") as tmp:
        out = Path(tmp) / "code.wav"
        if Path(program).name.startswith("flite"):
            command = [program, "-t", text, "-o", str(out)]
        else:  # espeak-ng / espeak: a slower rate, the page's language
            voice = "pl" if language.startswith("pl") else "en"
            command = [program, "-v", voice, "-s", "110", "-w", str(out), text]
        try:
            subprocess.run(command, check=True, timeout=10, capture_output=True)  # noqa: S603
        except (OSError, subprocess.SubprocessError):
            return None
        return out.read_bytes() if out.exists() else None


@require_GET
@never_cache
def captcha_audio(request, key):
    verdict = ratelimit.hit(
        "captcha-audio",
        ratelimit.client(request),
        limit=settings.EBOK_CAPTCHA_AUDIO_PER_10_MINUTES,
        window=RATE_WINDOW,
    )
    if not verdict.allowed:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        raise Http404
    wav = synthesise(spoken_text(store.challenge), translation.get_language() or "pl")
    if wav is None:
        raise Http404
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="kod.wav"'
    return response
