"""Pisma: the register, a letter's details, a new letter, downloads, and isolation."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ebok.core import uploads
from ebok.core.models import OutgoingEmail
from ebok.letters import services
from ebok.letters.models import Attachment, Letter, LetterKind, LetterStatusChange
from tests.letters.files import PDF, PNG, form_token, make_zip_bomb_docx, upload

LIST = reverse("portal:letters")
NEW = reverse("portal:letter_new")


def letter_for(customer, description="Pismo testowe", files=(), **kw):
    checked = [uploads.check_file(f) for f in files]
    return services.submit_letter(
        kind=kw.pop("kind", LetterKind.INCOMING),
        description=description,
        body="Treść",
        customer=customer,
        files=checked,
        **kw,
    ).letter


def test_the_register_lists_my_letters_newest_first(customer_client, customer, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 9, 27, 10, tzinfo=UTC))
    older = letter_for(customer, "stan licznika test")
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 10, 2, 10, tzinfo=UTC))
    newer = letter_for(customer, "faktura za wysoka")
    html = customer_client.get(LIST).content.decode()
    assert html.index(newer.number) < html.index(older.number)
    for text in [
        "Numer",
        "Data utworzenia",
        "Rodzaj",
        "Opis",
        "Szczegóły",
        "27-09-2026",
        "Pismo przychodzące - dokument eBOK",
        "stan licznika test",
        "Znajdź",
        "Odśwież",
    ]:
        assert text in html


def test_the_date_range_filter_limits_the_register(customer_client, customer, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 9, 27, 10, tzinfo=UTC))
    september = letter_for(customer, "wrzesień")
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 10, 2, 10, tzinfo=UTC))
    october = letter_for(customer, "październik")
    html = customer_client.get(LIST, {"od": "2026-10-01", "do": "2026-10-31"}).content.decode()
    assert october.number in html and september.number not in html
    html = customer_client.get(LIST, {"od": "2026-10-31", "do": "2026-10-01"}).content.decode()
    assert "późniejsza niż data" in html
    # A bookmark with the names other lists used before still filters.
    old = {"date_from": "2026-10-01", "date_to": "31.10.2026"}
    html = customer_client.get(LIST, old).content.decode()
    assert october.number in html and september.number not in html


def test_the_register_pages_and_uses_constant_queries(
    customer_client, customer, django_assert_max_num_queries
):
    for i in range(3):
        letter_for(customer, f"p{i}")
    with django_assert_max_num_queries(12) as small:
        customer_client.get(LIST)
    for i in range(30):
        letter_for(customer, f"q{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = customer_client.get(LIST)
    assert "Strona 1 z 2" in response.content.decode()
    assert "Strona 2 z 2" in customer_client.get(LIST, {"strona": 2}).content.decode()


def test_another_customers_letters_are_not_listed(customer_client, other_customer):
    foreign = letter_for(other_customer, "cudze pismo")
    assert foreign.number not in customer_client.get(LIST).content.decode()


def test_another_customers_letter_and_attachment_are_404(customer_client, other_customer):
    foreign = letter_for(other_customer, files=[upload()])
    attachment = foreign.attachments.get()
    assert (
        customer_client.get(reverse("portal:letter_detail", args=[foreign.pk])).status_code == 404
    )
    assert (
        customer_client.get(reverse("portal:letter_attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_logged_out_visitors_are_sent_to_login(client, customer):
    letter = letter_for(customer)
    for url in [LIST, NEW, reverse("portal:letter_detail", args=[letter.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/logowanie/" in response["Location"]


def test_the_details_show_attachments_and_status_history(customer_client, customer):
    letter = letter_for(customer, files=[upload("skan faktury.pdf")])
    html = customer_client.get(reverse("portal:letter_detail", args=[letter.pk])).content.decode()
    assert "skan faktury.pdf" in html
    assert "przyjęte" in html
    assert html.count("<h1") == 1


def test_an_attachment_downloads_as_an_attachment_with_nosniff(customer_client, customer):
    letter = letter_for(customer, files=[upload("skan.pdf")])
    response = customer_client.get(
        reverse("portal:letter_attachment", args=[letter.attachments.get().pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_writing_a_letter_registers_it_with_attachments_and_mails_the_number(
    customer_client, customer_user
):
    token = form_token(customer_client, NEW)
    response = customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "complaint",
            "description": "Faktura za wysoka",
            "body": "Proszę o korektę.",
            "attachments": [upload("faktura.pdf"), upload("zdjecie.png", PNG, "image/png")],
        },
        follow=True,
    )
    letter = Letter.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portal:letter_detail", args=[letter.pk])
    assert f"Zarejestrowano pismo nr {letter.number}" in response.content.decode()
    assert letter.kind == LetterKind.COMPLAINT
    assert (letter.due_date - timezone.localdate(letter.created_at)).days == 14
    assert sorted(a.original_name for a in letter.attachments.all()) == [
        "faktura.pdf",
        "zdjecie.png",
    ]
    assert all(len(a.sha256) == 64 for a in letter.attachments.all())
    mail = OutgoingEmail.objects.get()
    assert mail.to == [customer_user.email]
    assert letter.number in mail.subject and letter.number in mail.body


def test_a_double_submit_creates_one_letter(customer_client):
    token = form_token(customer_client, NEW)
    data = {"form_token": token, "kind": "incoming", "description": "Raz", "body": "Tylko raz."}
    first = customer_client.post(NEW, data)
    second = customer_client.post(NEW, data, follow=True)
    assert Letter.objects.count() == 1
    assert first.status_code == 302
    assert "zostało już zarejestrowane" in second.content.decode()


def test_bad_attachments_keep_the_text_and_save_nothing(customer_client, media_root):
    token = form_token(customer_client, NEW)
    response = customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "incoming",
            "description": "Mój opis",
            "body": "Moja treść",
            "attachments": [
                upload("faktura.pdf", b"<html>evil</html>"),
                upload("wniosek.docx", make_zip_bomb_docx()),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nieobsługiwany format pliku" in html and "zip bomb" in html
    assert "Moja treść" in html and "Mój opis" in html
    assert Letter.objects.count() == 0
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_too_many_files_are_refused(customer_client, settings):
    settings.EBOK_UPLOAD_MAX_FILES = 2
    token = form_token(customer_client, NEW)
    response = customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "incoming",
            "description": "x",
            "body": "y",
            "attachments": [upload(f"{i}.pdf") for i in range(3)],
        },
    )
    assert "najwyżej 2 plików" in response.content.decode()
    assert Letter.objects.count() == 0


def test_an_oversized_file_is_refused_with_a_message(customer_client, settings):
    settings.EBOK_UPLOAD_MAX_BYTES = 64 * 1024
    token = form_token(customer_client, NEW)
    response = customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "incoming",
            "description": "x",
            "body": "y",
            "attachments": [upload("duzy.pdf", PDF + b"0" * 200_000)],
        },
    )
    assert "„duzy.pdf” jest za duży" in response.content.decode()
    assert Letter.objects.count() == 0


def test_a_storage_failure_leaves_no_letter_no_number_and_no_file(
    customer_client, customer, monkeypatch, media_root
):
    real_save = uploads.default_storage.save
    calls = []

    def failing_save(name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(uploads.default_storage, "save", failing_save)
    token = form_token(customer_client, NEW)
    response = customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "incoming",
            "description": "Opis",
            "body": "Treść do zachowania",
            "attachments": [upload("a.pdf"), upload("b.pdf")],
        },
    )
    html = response.content.decode()
    assert "Nie udało się zapisać załączników" in html
    assert "Treść do zachowania" in html
    assert Letter.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert LetterStatusChange.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert not any(p.is_file() for p in media_root.rglob("*"))
    monkeypatch.undo()
    # The number was not used up: the next letter gets 00001.
    assert letter_for(customer).number.endswith("/00001")


@pytest.mark.parametrize("name", ["../../../etc/passwd.pdf", "..\\..\\boot.ini.pdf"])
def test_path_traversal_names_are_stored_harmlessly(customer_client, name, media_root):
    token = form_token(customer_client, NEW)
    customer_client.post(
        NEW,
        {
            "form_token": token,
            "kind": "incoming",
            "description": "x",
            "body": "y",
            "attachments": [upload(name)],
        },
    )
    attachment = Attachment.objects.get()
    assert (
        "/" not in attachment.original_name
        and "\\" not in attachment.original_name
        and ".." not in attachment.original_name
    )
    assert (media_root / attachment.file.name).resolve().is_relative_to(media_root.resolve())
