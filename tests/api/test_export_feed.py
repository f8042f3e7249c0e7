"""The export feed: what customers send, picked up page by page and acknowledged once."""

import pytest

from ebok.core import uploads
from ebok.integration.models import ExportItem
from ebok.letters import request_types
from ebok.letters.models import Attachment, Letter, LetterKind
from ebok.letters.services import submit_data_change, submit_letter, submit_online_request
from tests import factories

pytestmark = pytest.mark.django_db

FEED = "/api/v1/export/items"


def send_letter(customer, user, description="Prośba o duplikat faktury", with_file=False):
    letter = submit_letter(
        kind=LetterKind.INCOMING,
        description=description,
        body="Treść",
        customer=customer,
        created_by=user,
    ).letter
    if with_file:
        stored = uploads.store_content(b"%PDF-1.4 skan", "skan.pdf", "application/pdf")
        Attachment.objects.create(
            letter=letter,
            original_name="skan.pdf",
            file=stored.path,
            content_type="application/pdf",
            size=stored.size,
            sha256=stored.sha256,
        )
    return letter


def test_a_letter_a_customer_sent_is_in_the_feed_with_its_attachments(
    api, export_key, customer, customer_user
):
    letter = send_letter(customer, customer_user, with_file=True)

    page = api.get(FEED, key=export_key).json()

    (item,) = page["items"]
    assert item["source"] == "letter"
    assert item["data"]["number"] == letter.number
    assert item["data"]["payer_code"] == customer.payer_code
    assert item["data"]["customer_external_id"] == customer.external_id
    assert "tracking_token_hash" not in item["data"]
    (attachment,) = item["attachments"]
    assert attachment["name"] == "skan.pdf"
    download = api.get(attachment["url"], key=export_key)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 skan"


def test_an_attachment_needs_an_export_key(api, import_key, customer, customer_user):
    send_letter(customer, customer_user, with_file=True)
    attachment = Attachment.objects.get()

    url = f"/api/v1/export/attachments/letter/{attachment.pk}"
    assert api.get(url).status_code == 401
    assert api.get(url, key=import_key).status_code == 403


def test_a_change_of_data_request_carries_old_and_new_values(
    api, export_key, customer, customer_user
):
    submit_data_change(
        customer=customer,
        old_values={"phone": "52 111 11 11"},
        new_values={"phone": "52 222 22 22"},
        user=customer_user,
    )

    (item,) = api.get(FEED, key=export_key).json()["items"]

    assert item["data"]["kind"] == LetterKind.DATA_CHANGE
    assert item["data"]["data_change_request"]["new_values"] == {"phone": "52 222 22 22"}
    assert item["data"]["direction"] == "in"
    assert item["data"]["online_request"] is None


def test_an_online_request_carries_its_type_and_answers_under_its_old_key(
    api, export_key, customer, customer_user
):
    class Form:
        cleaned_data = {"purpose": "przetarg", "delivery": "pickup"}
        fields = {}

    submit_online_request(
        customer=customer,
        request_type=request_types.get("zaswiadczenie-o-niezaleganiu"),
        form=Form(),
        user=customer_user,
    )

    (item,) = api.get(FEED, key=export_key).json()["items"]

    online = item["data"]["online_request"]
    assert online["request_type"] == "zaswiadczenie-o-niezaleganiu"
    assert online["customer_id"] == customer.pk
    assert online["data"] == item["data"]["structured_data"]
    assert online["data"]["title"].startswith("Zaświadczenie o niezaleganiu")
    assert item["data"]["data_change_request"] is None


def test_outgoing_letters_are_not_in_the_feed(api, export_key, customer):
    Letter.objects.create(number="PW/1", kind=LetterKind.REPLY, customer=customer)

    assert api.get(FEED, key=export_key).json()["items"] == []


def test_acknowledged_items_are_picked_up_exactly_once(api, export_key, customer, customer_user):
    for i in range(5):
        send_letter(customer, customer_user, description=f"Pismo {i}")
    seen = []
    cursor = 0
    while True:
        page = api.get(f"{FEED}?cursor={cursor}&limit=2", key=export_key).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == len(set(seen)) == 5

    ack = api.post("/api/v1/export/ack", {"ids": seen[:3]}, key=export_key).json()
    again = api.post("/api/v1/export/ack", {"ids": [seen[0], 999999]}, key=export_key).json()

    assert ack["acknowledged"] == seen[:3]
    assert again == {"acknowledged": [], "already_acknowledged": [seen[0]], "unknown": [999999]}
    remaining = api.get(FEED, key=export_key).json()["items"]
    assert [item["id"] for item in remaining] == seen[3:]


def test_an_import_key_cannot_acknowledge(api, import_key, customer, customer_user):
    send_letter(customer, customer_user)

    response = api.post(
        "/api/v1/export/ack", {"ids": [ExportItem.objects.get().pk]}, key=import_key
    )

    assert response.status_code == 403
    assert ExportItem.objects.get().acknowledged_at is None


@pytest.mark.parametrize("letters", [2, 8])
def test_the_feed_uses_a_constant_number_of_queries(
    api, export_key, customer, customer_user, letters, django_assert_max_num_queries
):
    for i in range(letters):
        send_letter(customer, customer_user, description=f"Pismo {i}", with_file=True)
    other = factories.make_customer()
    send_letter(other, factories.make_user(customers=[other]))

    with django_assert_max_num_queries(10):
        page = api.get(FEED, key=export_key).json()

    assert len(page["items"]) == letters + 1


def test_a_registration_enters_the_feed_once_its_email_is_confirmed(api, export_key, customer):
    from django.utils import timezone

    from ebok.accounts.models import Registration

    registration = Registration.objects.create(
        payer_code=customer.payer_code,
        name=customer.name,
        tax_id="5260250995",
        document_number="FV/2026/10/00001",
        email="zarzad@example.com",
        token_hash="a" * 64,
        ip="192.0.2.1",
    )
    assert api.get(FEED, key=export_key).json()["items"] == []

    registration.email_confirmed_at = timezone.now()
    registration.save()
    registration.save()

    (item,) = api.get(FEED, key=export_key).json()["items"]
    assert item["source"] == "registration"
    assert item["data"]["payer_code"] == customer.payer_code
    assert item["data"]["email"] == "zarzad@example.com"
    assert "token_hash" not in item["data"]
    assert "ip" not in item["data"]
