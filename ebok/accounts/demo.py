"""Two-factor authentication for the demo's back-office logins.

Operators must pass TOTP 2FA, so the demo operators get a device with a fixed, documented
secret (docs/demo.md): add it to any authenticator app, or print the current code with
`manage.py shell -c "from ebok.accounts.demo import demo_totp_code; print(demo_totp_code())"`.
Demo databases only.
"""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

# 20 bytes, written in base32 as authenticator apps expect it.
DEMO_TOTP_SECRET = "EBOKDEMOEBOKDEMOEBOKDEMOEBOKDEMO"  # noqa: S105 - public demo secret


def give_demo_totp_device(user) -> TOTPDevice:
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": key, "confirmed": True}
    )
    return device


def demo_totp_code() -> str:
    """The current code for the demo secret (used by docs and screenshots)."""
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"
