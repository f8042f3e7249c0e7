"""The operator inbox: permissions, filters, overdue, assignment, status, notes, replies."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ebok.core import uploads
from ebok.core.models import AuditLogEntry, CompanySettings, OutgoingEmail
from ebok.letters import services
from ebok.letters.models import KindDeadline, Letter, LetterKind, LetterStatus, RemarkType
from tests import factories
from tests.letters.files import upload

INBOX = reverse("backoffice:letters")


def letter_for(customer, **kw):
    kw.setdefault("kind", LetterKind.INCOMING)
    kw.setdefault("description", "Pismo")
    return services.submit_letter(customer=customer, body="Treść", **kw).letter


def test_logged_out_goes_to_login_and_customers_get_403(client, customer_client, customer):
    letter = letter_for(customer)
    urls = [
        INBOX,
        reverse("backoffice:letter_detail", args=[letter.pk]),
        reverse("backoffice:letters_config"),
    ]
    for url in urls:
        assert customer_client.get(url).status_code == 403
    customer_client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


def test_an_operator_without_handle_letters_gets_403(client, customer):
    user = factories.make_operator(username="bez_pism")
    user.groups.first().permissions.remove(Permission.objects.get(codename="handle_letters"))
    client.force_login(user)
    assert client.get(INBOX).status_code == 403
    letter = letter_for(customer)
    assert (
        client.post(
            reverse("backoffice:letter_status", args=[letter.pk]), {"status": "closed"}
        ).status_code
        == 403
    )


def test_the_inbox_lists_letters_and_highlights_overdue(operator_client, customer, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: timezone.now() - timedelta(days=20))
    old_complaint = letter_for(customer, kind=LetterKind.COMPLAINT, description="Stara reklamacja")
    monkeypatch.undo()
    fresh = letter_for(customer, description="Nowe pismo")
    html = operator_client.get(INBOX).content.decode()
    assert old_complaint.number in html and fresh.number in html
    assert 'class="overdue"' in html and "po terminie" in html
    only_overdue = operator_client.get(INBOX, {"overdue": "on"}).content.decode()
    assert old_complaint.number in only_overdue and fresh.number not in only_overdue


def test_filters_by_kind_status_dates_and_customer(
    operator_client, customer, other_customer, monkeypatch
):
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 9, 10, 10, tzinfo=UTC))
    september = letter_for(customer)
    monkeypatch.undo()
    complaint = letter_for(other_customer, kind=LetterKind.COMPLAINT)

    def listed(**params):
        html = operator_client.get(INBOX, params).content.decode()
        return {n for n in (september.number, complaint.number) if n in html}

    assert listed(kind="complaint") == {complaint.number}
    assert listed(od="2026-09-01", do="2026-09-30") == {september.number}
    assert listed(date_from="2026-09-01", date_to="2026-09-30") == {september.number}
    assert listed(customer=other_customer.payer_code) == {complaint.number}
    assert listed(status="answered") == set()
    assert listed(status="open") == {september.number, complaint.number}


def test_the_inbox_uses_constant_queries(operator_client, customer, django_assert_max_num_queries):
    for _ in range(3):
        letter_for(customer)
    with django_assert_max_num_queries(20) as small:
        operator_client.get(INBOX)
    for i in range(30):
        letter_for(factories.make_customer(), description=f"d{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        operator_client.get(INBOX)


def _table(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</nav>" if "</nav>" in html else "</table>")]


def test_the_unfiltered_inbox_shows_what_the_filtered_list_shows_for_no_filter(
    operator_client, operator, customer, monkeypatch
):
    # Without a filter the inbox is read by fixed statements; with an empty filter by the
    # filter's query: the rows, their order, the overdue count and the pages are the same.
    monkeypatch.setattr(services, "now", lambda: timezone.now() - timedelta(days=40))
    for i in range(3):
        letter_for(customer, kind=LetterKind.COMPLAINT, description=f"Stara <b>{i}</b>")
    monkeypatch.undo()
    long_text = "Bardzo długi opis pisma, który nie mieści się w sześćdziesięciu znakach tabeli"
    for i in range(27):
        letter = letter_for(customer, description=long_text if i % 2 else f"Pismo {i}")
    services.assign(letter, operator, user=operator)
    services.send_reply(letter, text="Odpowiedź", user=operator)
    services.submit_remark(
        body="Zimno", description="Zgłoszenie <i>anonimowe</i>", sender_name="Jan & syn"
    )

    for page in ("1", "2"):
        blank = operator_client.get(INBOX, {"strona": page})
        empty_filter = operator_client.get(INBOX, {"kind": "", "strona": page})
        assert _table(blank.content.decode()) == _table(empty_filter.content.decode())
        assert "3 pism po terminie" in blank.content.decode()
    html = operator_client.get(INBOX).content.decode()
    assert "Jan &amp; syn" in html and "Zgłoszenie &lt;i&gt;anonimowe&lt;/i&gt;" in html
    assert f">{operator.username}<" in html
    assert "Strona 1 z 2" in html
    assert "Bardzo długi opis pisma, który nie mieści się w sześćdziesi…" in html
    assert "Odpowiedź" not in html  # replies are not in the inbox


def test_assign_status_and_note_are_audit_logged(operator_client, operator, customer):
    letter = letter_for(customer)
    operator_client.post(
        reverse("backoffice:letter_assign", args=[letter.pk]), {"operator": operator.pk}
    )
    letter.refresh_from_db()
    assert letter.assigned_to == operator and letter.status == LetterStatus.IN_PROGRESS
    operator_client.post(
        reverse("backoffice:letter_status", args=[letter.pk]),
        {"status": "closed", "comment": "załatwione telefonicznie"},
    )
    operator_client.post(
        reverse("backoffice:letter_note", args=[letter.pk]), {"text": "Klient dzwonił."}
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    actions = set(AuditLogEntry.objects.filter(user=operator).values_list("action", flat=True))
    assert {
        "letters.letter.assigned",
        "letters.letter.status_changed",
        "letters.letter.note_added",
    } <= actions
    html = operator_client.get(
        reverse("backoffice:letter_detail", args=[letter.pk])
    ).content.decode()
    assert "Klient dzwonił." in html and "załatwione telefonicznie" in html


def test_internal_notes_are_not_shown_to_the_customer(customer_client, customer, operator):
    letter = letter_for(customer)
    services.add_note(letter, "Tajna notatka", user=operator)
    assert (
        "Tajna notatka"
        not in customer_client.get(
            reverse("portal:letter_detail", args=[letter.pk])
        ).content.decode()
    )


def test_a_reply_is_numbered_in_its_own_series_with_a_pdf_the_customer_sees(
    client, operator, customer, customer_user
):
    letter = letter_for(customer, created_by=customer_user)
    OutgoingEmail.objects.all().delete()
    client.force_login(operator)
    response = client.post(
        reverse("backoffice:letter_reply", args=[letter.pk]),
        {"text": "Faktura została skorygowana.", "attachments": [upload("korekta.pdf")]},
    )
    assert response.status_code == 302
    reply = Letter.objects.get(kind=LetterKind.REPLY)
    assert reply.number.startswith("PW/") and reply.in_reply_to == letter
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED and letter.answered_at is not None
    assert AuditLogEntry.objects.filter(action="letters.letter.answered", user=operator).exists()
    mail = OutgoingEmail.objects.get()  # sent by the task worker, retried if the server is down
    assert letter.number in mail.subject and reply.number in mail.body
    assert mail.to == [customer_user.email]
    client.force_login(customer_user)
    html = client.get(reverse("portal:letter_detail", args=[letter.pk])).content.decode()
    assert "Faktura została skorygowana." in html and reply.number in html
    pdf = reply.attachments.get(source="document")
    download = client.get(reverse("portal:letter_attachment", args=[pdf.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert reply.number not in client.get(reverse("portal:letters")).content.decode()


def test_an_empty_reply_is_refused(operator_client, customer):
    letter = letter_for(customer)
    response = operator_client.post(
        reverse("backoffice:letter_reply", args=[letter.pk]), {"text": ""}
    )
    assert response.status_code == 400
    assert Letter.objects.replies().count() == 0


def test_operators_configure_remark_types_formats_text_and_deadlines(operator_client, operator):
    config = reverse("backoffice:letters_config")
    operator_client.post(
        config,
        {
            "action": "new_type",
            "new-name": "Awaria sieci",
            "new-position": "4",
            "new-is_active": "on",
        },
    )
    assert RemarkType.objects.filter(name="Awaria sieci", is_active=True).exists()
    zgloszenie = RemarkType.objects.get(name="Zgłoszenie")
    operator_client.post(
        reverse("backoffice:remark_type_edit", args=[zgloszenie.pk]),
        {"name": "Zgłoszenie", "position": "2"},
    )
    zgloszenie.refresh_from_db()
    assert not zgloszenie.is_active
    operator_client.post(
        config, {"action": "formats", "attachment_formats_text": "Tylko PDF, do 10 MB."}
    )
    assert CompanySettings.get().attachment_formats_text == "Tylko PDF, do 10 MB."
    operator_client.post(config, {"action": "deadlines", "complaint": "21"})
    assert KindDeadline.days_for(LetterKind.COMPLAINT) == 21
    actions = set(AuditLogEntry.objects.filter(user=operator).values_list("action", flat=True))
    assert {
        "letters.remark_type.created",
        "letters.remark_type.changed",
        "letters.configuration.formats_text_changed",
        "letters.configuration.deadlines_changed",
    } <= actions
    from django.test import Client

    html = Client().get(reverse("portal:remark_new")).content.decode()
    assert "Awaria sieci" in html and "Tylko PDF, do 10 MB." in html
    assert ">Zgłoszenie<" not in html


def test_operator_attachment_downloads_are_logged(operator_client, operator, customer):
    letter = letter_for(customer, files=[uploads.check_file(upload("skan.pdf"))])
    response = operator_client.get(
        reverse("backoffice:letter_attachment", args=[letter.attachments.get().pk])
    )
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and response["X-Content-Type-Options"] == "nosniff"
    )
    assert AuditLogEntry.objects.filter(
        action="letters.attachment.downloaded", user=operator
    ).exists()


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_daily_digest_mails_operators_new_and_overdue_letters(
    customer, operator, monkeypatch, dry_run, capsys
):
    monkeypatch.setattr(services, "now", lambda: timezone.now() - timedelta(days=20))
    overdue = letter_for(customer, kind=LetterKind.COMPLAINT)
    monkeypatch.undo()
    new = letter_for(customer)
    OutgoingEmail.objects.all().delete()
    call_command("send_letters_digest", *(["--dry-run"] if dry_run else []))
    if dry_run:
        assert OutgoingEmail.objects.count() == 0
        assert overdue.number in capsys.readouterr().out
        return
    mail = OutgoingEmail.objects.get()
    assert mail.to == [operator.email]
    assert new.number in mail.body and overdue.number in mail.body
    assert "po terminie 1" in mail.subject


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_inbox_shortens_descriptions_as_truncatechars_does(language):
    from django.template.defaultfilters import truncatechars
    from django.utils import translation

    from ebok.backoffice.views.letters import shortened

    pieces = ["a", "ą", "Ż", " ", "<", "&", "e\u0301", "é", "😀", "\u212b", "A\u030a", "…"]
    texts = ["", "x" * 59, "x" * 60, "x" * 61, "ż" * 61, "e\u0301" * 61, "Å" * 70]
    texts += ["".join(pieces[(i * 7 + j) % len(pieces)] for j in range(i)) for i in range(90)]
    with translation.override(language):
        for text in texts:
            for length in (0, 1, 59, 60, 61):
                assert shortened(text, length) == truncatechars(text, length), (text, length)
