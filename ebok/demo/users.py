"""The demo logins. Fixed, documented credentials (docs/demo.md) for a demo database only."""

from django.contrib.auth.models import Group

from ebok.accounts.demo import give_demo_totp_device
from ebok.accounts.models import User
from ebok.customers.models import Customer, CustomerAccess
from ebok.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, LARGE_CUSTOMER_LOGIN

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "create_demo_users", "create_large_customer_user"]


def create_customer_user(username: str, customers, *, first_name: str, last_name: str) -> User:
    user = User(
        username=username,
        email=f"{username}@example.com",
        first_name=first_name,
        last_name=last_name,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    CustomerAccess.objects.bulk_create([CustomerAccess(user=user, customer=c) for c in customers])
    return user


def create_staff_user(username: str, group_name: str, *, first_name: str, last_name: str) -> User:
    """An operator or administrator of the customer office (never a Django superuser)."""
    user = User(
        username=username,
        email=f"{username}@mpec.example.com",
        first_name=first_name,
        last_name=last_name,
        is_superuser=False,
        is_staff=False,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    give_demo_totp_device(user)  # 2FA is mandatory for operators (ebok.accounts.demo)
    return user


def create_demo_users(demo_customer_id: int, managed_customer_ids: list[int]) -> list[User]:
    customers = Customer.objects.in_bulk([demo_customer_id, *managed_customer_ids])
    return [
        create_customer_user(
            "demo", [customers[demo_customer_id]], first_name="Anna", last_name="Demonstracyjna"
        ),
        create_customer_user(
            "zarzadca",
            [customers[pk] for pk in managed_customer_ids],
            first_name="Piotr",
            last_name="Zarządca",
        ),
        create_staff_user("operator", "Operator", first_name="Olga", last_name="Operatorska"),
        create_staff_user("admin", "Administrator", first_name="Adam", last_name="Administrator"),
    ]


def create_large_customer_user(customer_id: int) -> User:
    return create_customer_user(
        LARGE_CUSTOMER_LOGIN.username,
        [Customer.objects.get(pk=customer_id)],
        first_name="Leszek",
        last_name="Spółdzielczy",
    )
