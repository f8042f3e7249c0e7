"""Password validators of the eBOK policy. Their help texts are what the forms show, so the
rules printed next to a password field are always the rules in force."""

import unicodedata
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LetterAndDigitValidator:
    """At least one letter (any alphabet) and at least one digit."""

    def validate(self, password, user=None):
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError(
                _("Hasło musi zawierać co najmniej jedną literę i jedną cyfrę."),
                code="password_no_letter_or_digit",
            )

    def get_help_text(self):
        return _("Hasło musi zawierać co najmniej jedną literę i jedną cyfrę.")


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Hasło może mieć najwyżej %(max)d znak.",
                    "Hasło może mieć najwyżej %(max)d znaków.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return ngettext(
            "Hasło może mieć najwyżej %(max)d znak; dozwolone są dowolne znaki, także spacje i polskie litery.",
            "Hasło może mieć najwyżej %(max)d znaków; dozwolone są dowolne znaki, także spacje i polskie litery.",
            self.max_length,
        ) % {"max": self.max_length}


def _normalise(value: str) -> str:
    value = unicodedata.normalize("NFKD", value or "").casefold()
    return "".join(ch for ch in value if ch.isalnum())


def personal_values(user) -> list[str]:
    """The login, e-mail (and its local part), names, and the payer codes, NIPs and PESELs
    of every customer the user acts for."""
    if user is None:
        return []
    values = [
        getattr(user, "username", ""),
        getattr(user, "email", ""),
        (getattr(user, "email", "") or "").split("@")[0],
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
    ]
    extra = getattr(user, "_ebok_personal_values", None)
    if extra:
        values += list(extra)
    if getattr(user, "pk", None):
        from ebok.customers.models import Customer

        for row in Customer.objects.filter(accesses__user=user).values_list(
            "payer_code", "nip", "pesel"
        ):
            values += list(row)
    return [v for v in values if v]


class PersonalDataSimilarityValidator:
    """Not the same as, containing, or too similar to the user's personal identifiers."""

    def __init__(self, max_similarity=0.7):
        self.max_similarity = max_similarity

    def validate(self, password, user=None):
        pw = _normalise(password)
        if not pw:
            return
        for value in personal_values(user):
            v = _normalise(value)
            if len(v) < 3:
                continue
            contains = len(v) >= 5 and (v in pw or pw in v)
            if contains or SequenceMatcher(a=pw, b=v).ratio() >= self.max_similarity:
                raise ValidationError(
                    _(
                        "Hasło jest zbyt podobne do Twoich danych (loginu, adresu e-mail, "
                        "kodu płatnika, NIP lub PESEL)."
                    ),
                    code="password_too_similar",
                )

    def get_help_text(self):
        return _(
            "Hasło nie może być podobne do loginu, adresu e-mail, kodu płatnika, NIP ani PESEL."
        )
