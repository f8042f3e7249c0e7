"""Administrators describe each remark type; the public form shows it as plain text."""

from django.urls import reverse

from ebok.core.models import AuditLogEntry
from ebok.letters.models import RemarkType


def test_an_operator_describes_a_remark_type_and_the_public_form_shows_it(
    operator_client, client, db
):
    remark_type = RemarkType.objects.create(name="Awaria ogrzewania", position=1)
    response = operator_client.post(
        reverse("backoffice:remark_type_edit", args=[remark_type.pk]),
        {
            "name": "Awaria ogrzewania",
            "description": "Brak ciepła w budynku.\nW nocy dzwoń na pogotowie: 993.",
            "position": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(action="letters.remark_type.changed")
    assert "description" in entry.data

    page = client.get("/uwagi/nowa/").content.decode()
    assert "Awaria ogrzewania: Brak ciepła w budynku." in page
    assert "W nocy dzwoń na pogotowie: 993." in page


def test_markup_in_a_description_is_shown_as_text_never_run(client, db):
    RemarkType.objects.create(
        name="Reklamacja", description='<img src=x onerror="alert(1)"><a href="//evil">x</a>'
    )
    page = client.get("/uwagi/nowa/").content.decode()
    assert "<img src=x" not in page and '<a href="//evil"' not in page
    assert "&lt;img src=x onerror=" in page


def test_a_description_longer_than_500_characters_is_refused_and_kept(operator_client, db):
    remark_type = RemarkType.objects.create(name="Inne")
    response = operator_client.post(
        reverse("backoffice:remark_type_edit", args=[remark_type.pk]),
        {"name": "Inne", "description": "x" * 501, "position": 0, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "x" * 501 in response.content.decode()
    remark_type.refresh_from_db()
    assert remark_type.description == ""
