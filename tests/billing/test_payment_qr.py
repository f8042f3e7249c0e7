"""The payment QR payload follows the ZBP 2D standard exactly."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebok.billing import qr
from tests.pdf import png_qr_codes

ACCOUNT = "92124012340001567890123456"


def build(**kw):
    args = {
        "nip": "1234567890",
        "account": ACCOUNT,
        "amount": Decimal("140.50"),
        "recipient": "MPEC Sp. z o.o.",
        "title": "FV/2026/11/0042",
    }
    args.update(kw)
    return qr.payment_payload(**args)


def test_it_builds_the_example_from_the_design():
    assert build().payload == (
        "1234567890|PL|92124012340001567890123456|014050|MPEC Sp. z o.o.|FV/2026/11/0042|||"
    )


def test_amount_is_in_grosze_zero_padded_to_six_digits():
    assert build(amount=Decimal("0.01")).payload.split("|")[3] == "000001"
    assert build(amount=Decimal("9999.99")).payload.split("|")[3] == "999999"


def test_above_9999_99_the_amount_field_is_zeros_and_says_so():
    result = build(amount=Decimal("10000.00"))
    assert result.payload.split("|")[3] == "000000"
    assert result.amount_in_code is False
    assert build(amount=Decimal("9999.99")).amount_in_code is True


def test_long_names_and_titles_are_cut_to_their_field_lengths():
    fields = build(recipient="Przedsiębiorstwo Energetyki Cieplnej", title="X" * 50).payload.split(
        "|"
    )
    assert len(fields[4]) <= 20
    assert len(fields[5]) == 32


def test_a_pipe_inside_a_value_never_breaks_the_fields():
    fields = build(recipient="A|B", title="FV|1\n2").payload.split("|")
    assert len(fields) == 9
    assert fields[4] == "A B"
    assert fields[5] == "FV 1 2"


def test_account_must_have_26_digits():
    with pytest.raises(ValueError):
        build(account="123")
    assert build(account="92 1240 1234 0001 5678 9012 3456").payload.split("|")[2] == ACCOUNT


def test_an_invalid_nip_leaves_the_field_empty():
    assert build(nip="12").payload.startswith("|PL|")


@given(
    recipient=st.text(max_size=80),
    title=st.text(max_size=80),
    nip=st.text(alphabet="0123456789-", max_size=14),
    amount=st.decimals(min_value=Decimal("-100"), max_value=Decimal("1000000"), places=2),
)
def test_any_input_gives_nine_fields_within_limits(recipient, title, nip, amount):
    payload = build(recipient=recipient, title=title, nip=nip, amount=amount).payload
    fields = payload.split("|")
    assert len(payload) <= 160
    assert len(fields) == 9
    assert fields[1] == "PL"
    assert len(fields[0]) in (0, 10)
    assert fields[2] == ACCOUNT
    assert len(fields[3]) == 6 and fields[3].isdigit()
    assert len(fields[4]) <= 20 and len(fields[5]) <= 32
    assert fields[6:] == ["", "", ""]


def test_the_png_decodes_to_the_payload(tmp_path):
    payload = build().payload
    path = tmp_path / "qr.png"
    path.write_bytes(qr.qr_png(payload))
    assert png_qr_codes(path.read_bytes()) == [payload]


def test_ksef_verification_link_holds_nip_date_and_base64url_hash():
    from datetime import date

    url = qr.ksef_verification_url(
        seller_nip="526-025-09-95", issue_date=date(2026, 2, 1), xml=b"<Faktura/>"
    )
    prefix = "https://qr.ksef.mf.gov.pl/invoice/5260250995/01-02-2026/"
    assert url.startswith(prefix)
    digest = url.removeprefix(prefix)
    assert len(digest) == 43 and "=" not in digest and "+" not in digest and "/" not in digest


def test_the_svg_is_cached_under_what_it_is_drawn_from_only(settings):
    """The drawn SVG is shared through the cache, keyed by a digest of payload and title:
    another customer's payload (another account or amount) never gets this markup."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    mine = build().payload
    theirs = build(account="11" + ACCOUNT[2:], amount=Decimal("99.99")).payload
    first = qr.qr_svg(mine, title="QR")
    assert qr.qr_svg(mine, title="QR") == first  # from the cache
    other = qr.qr_svg(theirs, title="QR")
    assert other != first
    assert qr.qr_svg(mine, title="QR") == first
    assert qr._draw_svg(theirs, "QR") == other  # what the cache holds is what is drawn
    assert qr.qr_svg(mine, title="<b>") != first  # the title is part of the key and escaped
    assert "<b>" not in qr.qr_svg(mine, title="<b>")
