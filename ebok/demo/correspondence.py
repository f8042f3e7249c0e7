"""Demo correspondence of the demo customer, so the letters register is not empty after
`make run`: a letter the office has answered (with its PW/... reply and PDF) and a
complaint still being handled. Both go through the same services as the portal's forms."""

from ebok.accounts.models import User
from ebok.customers.models import Customer
from ebok.letters import services
from ebok.letters.models import LetterKind, LetterStatus


def create_demo_correspondence(demo_customer_id: int) -> list:
    customer = Customer.objects.get(pk=demo_customer_id)
    author = User.objects.get(username="demo")
    operator = User.objects.get(username="operator")
    asked = services.submit_letter(
        customer=customer,
        created_by=author,
        description="Prośba o duplikat faktury za październik",
        body=(
            "Dzień dobry, proszę o przesłanie duplikatu faktury za październik — oryginał "
            "zaginął przy przeprowadzce biura zarządu."
        ),
    ).letter
    reply = services.send_reply(
        asked,
        user=operator,
        text=(
            "Szanowni Państwo, duplikat faktury jest dostępny w eBOK w zakładce Faktury; "
            "każdą fakturę można pobrać jako PDF w dowolnym momencie."
        ),
    )
    complaint = services.submit_letter(
        customer=customer,
        created_by=author,
        kind=LetterKind.COMPLAINT,
        description="Reklamacja odczytu licznika",
        body=(
            "Odczyt z ostatniego miesiąca wydaje się zawyżony w porównaniu z poprzednim "
            "sezonem. Proszę o sprawdzenie licznika."
        ),
    ).letter
    services.change_status(complaint, LetterStatus.IN_PROGRESS, user=operator)
    return [asked, reply, complaint]
