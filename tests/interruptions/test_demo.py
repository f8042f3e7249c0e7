"""Demo data: the demo customer sees a failure under way and planned works."""

from django.utils import timezone

from ebok.demo.interruptions import create_demo_interruptions
from ebok.interruptions import services
from ebok.interruptions.models import Interruption
from tests import factories


def test_demo_interruptions_touch_the_demo_customers_sites(db):
    customer = factories.make_customer()
    first = factories.make_site(customer, street="ul. Gdańska 112")
    second = factories.make_site(customer, street="ul. Długa 7")
    neighbour = factories.make_site(factories.make_customer(), street="ul. Gdańska 200")
    created = create_demo_interruptions(customer.pk, timezone.localdate())
    assert len(created) == 4
    failure = Interruption.objects.get(kind="failure")
    assert list(failure.sites.all()) == [first]  # 106-118, not 200
    assert [i["kind"] for i in services.banner_for_customer(customer.pk)] == ["failure"]
    planned = Interruption.objects.filter(kind="planned", status="announced")
    assert {s.pk for i in planned for s in i.sites.all()} == {first.pk, second.pk, neighbour.pk}
    assert Interruption.objects.filter(status="ended").count() == 1
