"""The letters register, a letter's page and the online requests are rendered once per
customer and stamp, which every save of a customer's letter renews (letters/stamp.py):
they never reach another customer nor outlive a new letter, a reply, a change of status
or the request types' settings."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ebok.core.models import CompanySettings
from ebok.letters import services
from ebok.letters.models import Letter, LetterKind, LetterStatus, RemarkType
from ebok.letters.stamp import letters_stamp
from tests import factories


def _letter(customer, description="Pismo testowe", **kw):
    return services.submit_letter(
        kind=kw.pop("kind", LetterKind.INCOMING),
        description=description,
        body="Treść pisma",
        customer=customer,
        **kw,
    ).letter


def _client(*customers) -> Client:
    client = Client()
    client.force_login(factories.make_user(customers=list(customers)))
    return client


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_register_never_shows_another_customers_letters(customer, other_customer, db):
    mine = _letter(customer, "moje pismo")
    theirs = _letter(other_customer, "cudze pismo")
    me, them = _client(customer), _client(other_customer)

    first, again = _get(me, "/pisma/"), _get(me, "/pisma/")
    other = _get(them, "/pisma/")

    assert mine.number in first and mine.number in again and theirs.number not in first
    assert theirs.number in other and mine.number not in other


def test_another_customers_letter_is_a_404_although_its_page_was_cached(
    customer, other_customer, db
):
    mine = _letter(customer, "moje pismo")
    owner, stranger = _client(customer), _client(other_customer)
    assert mine.number in _get(owner, f"/pisma/{mine.pk}/")
    assert mine.number in _get(owner, f"/pisma/{mine.pk}/")  # from the cache

    assert stranger.get(f"/pisma/{mine.pk}/").status_code == 404


def test_a_manager_switching_customers_gets_the_other_customers_register(
    customer, other_customer, db
):
    first = _letter(customer, "pierwszy")
    second = _letter(other_customer, "drugi")
    manager = _client(customer, other_customer)
    manager.post("/kontrahent/wybierz/", {"customer": customer.pk, "next": "/"})
    assert first.number in _get(manager, "/pisma/")
    assert first.number in _get(manager, f"/pisma/{first.pk}/")

    manager.post("/kontrahent/wybierz/", {"customer": other_customer.pk, "next": "/"})

    html = _get(manager, "/pisma/")
    assert second.number in html and first.number not in html
    assert manager.get(f"/pisma/{first.pk}/").status_code == 404


def test_a_repeated_register_and_letter_page_do_not_read_the_letters(customer, db):
    letter = _letter(customer)
    client = _client(customer)
    for url in ("/pisma/", f"/pisma/{letter.pk}/", "/wnioski/"):
        _get(client, url)
        with CaptureQueriesContext(connection) as ctx:
            _get(client, url)
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "letters_attachment" not in sql and '"letters_letter"."number"' not in sql, url


def test_a_new_letter_appears_at_once_although_the_register_was_cached(customer, db):
    _letter(customer, "pierwsze")
    client = _client(customer)
    _get(client, "/pisma/")

    second = _letter(customer, "drugie")

    assert second.number in _get(client, "/pisma/")


def test_a_change_of_status_shows_at_once_on_the_register_and_the_letter(customer, db):
    letter = _letter(customer)
    operator = factories.make_operator()
    client = _client(customer)
    assert "w realizacji" not in _get(client, "/pisma/")
    assert "w realizacji" not in _get(client, f"/pisma/{letter.pk}/")

    services.change_status(letter, LetterStatus.IN_PROGRESS, user=operator)

    assert "w realizacji" in _get(client, "/pisma/")
    assert "w realizacji" in _get(client, f"/pisma/{letter.pk}/")


def test_every_save_of_a_letter_gives_its_customer_a_new_stamp(customer, other_customer, db):
    def stamp(c):
        return letters_stamp(c)

    before, others = stamp(customer), stamp(other_customer)
    assert before == others == ""  # no summary row yet
    _letter(other_customer)
    others = stamp(other_customer)
    letter = _letter(customer)
    after_submission = stamp(customer)
    services.change_status(letter, LetterStatus.IN_PROGRESS, user=factories.make_operator())

    assert before != after_submission != stamp(customer)
    assert stamp(other_customer) == others


def test_a_reply_shows_at_once_although_the_letter_page_was_cached(customer, db):
    letter = _letter(customer)
    client = _client(customer)
    assert "Nie udzielono jeszcze odpowiedzi." in _get(client, f"/pisma/{letter.pk}/")

    reply = services.send_reply(letter, text="Odpowiedź firmy", user=factories.make_operator())

    html = _get(client, f"/pisma/{letter.pk}/")
    assert reply.number in html and "Odpowiedź firmy" in html
    assert "Nie udzielono jeszcze odpowiedzi." not in html


def test_a_letter_with_a_remark_type_shows_the_types_new_name(customer, db):
    remark_type = RemarkType.objects.create(name="Typ pierwotny")
    letter = _letter(customer)
    Letter.objects.filter(pk=letter.pk).update(remark_type=remark_type)
    client = _client(customer)
    assert "Typ pierwotny" in _get(client, f"/pisma/{letter.pk}/")

    remark_type.name = "Typ po zmianie"
    remark_type.save()

    assert "Typ po zmianie" in _get(client, f"/pisma/{letter.pk}/")


def test_online_requests_show_a_new_request_and_the_offered_types_at_once(customer, db):
    client = _client(customer)
    html = _get(client, "/wnioski/")
    assert "Nie złożono jeszcze żadnego wniosku." in html
    assert "/wnioski/nowy/raty/" in html

    Letter.objects.create(
        number="PR/TEST/00001",
        kind=LetterKind.ONLINE_REQUEST,
        customer=customer,
        request_type="raty",
        description="Rozłożenie zaległości na raty",
    )
    config = CompanySettings.get()
    config.request_type_settings = {"raty": {"active": False}}
    config.save()

    html = _get(client, "/wnioski/")
    assert "PR/TEST/00001" in html
    assert "/wnioski/nowy/raty/" not in html
