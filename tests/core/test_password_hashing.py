"""The test suite hashes with MD5 for speed; production must hash with Argon2."""

from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from ebok import settings as production_settings


def test_production_hashes_passwords_with_argon2():
    hashers = production_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=hashers):
        encoded = make_password("Kaloryfer-2026")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("Kaloryfer-2026", encoded)
        assert not check_password("Kaloryfer-2027", encoded)


def test_the_suite_itself_uses_the_fast_hasher():
    assert make_password("x").startswith("md5$")
