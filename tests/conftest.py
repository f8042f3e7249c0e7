import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def customer(db):
    return factories.make_customer(name="Wspólnota Mieszkaniowa ul. Gdańska 12")


@pytest.fixture
def other_customer(db):
    """Somebody else's data: every attempt to reach it must end in 404."""
    return factories.make_customer(name="Spółdzielnia Obca")


@pytest.fixture
def customer_user(customer):
    return factories.make_user(customers=[customer], username="jan")


@pytest.fixture
def customer_client(client, customer_user):
    client.force_login(customer_user)
    return client


@pytest.fixture
def operator(db):
    return factories.make_operator(username="operator1")


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def run_tasks(db):
    """Run every task waiting in the durable queue, as the worker would."""

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run
