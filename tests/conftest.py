import os
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.test import Client

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


def pass_two_factor(client, user):
    """Log `client` in as `user` and mark the session verified the way django-otp does
    (operators need 2FA before any back-office page)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def operator_client(client, operator):
    return pass_two_factor(client, operator)


@pytest.fixture(autouse=True)
def _operators_pass_two_factor_on_force_login(monkeypatch):
    """`client.force_login(operator)` in any test yields a session that passed 2FA, as
    after a real login with a TOTP code. Tests of the 2FA gate itself log in with
    `force_login_without_2fa(client, user)`."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if getattr(user, "is_operator", False) and not getattr(user, "_skip_2fa", False):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def force_login_without_2fa(client, user):
    user._skip_2fa = True
    client.force_login(user)
    return client


@pytest.fixture
def run_tasks(db):
    """Run every task waiting in the durable queue, as the worker would.

    The worker closes database connections between tasks, as in production; on
    PostgreSQL a test using this needs `@pytest.mark.django_db(transaction=True)`.
    """

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run


@contextmanager
def rows_shared_by_tests(django_db_blocker):
    """For a module- or class-scoped fixture whose rows many tests read, made once as
    `TestCase.setUpTestData` does: the rows are written in an outer transaction; each
    test's own transaction (pytest-django's `db`) is a savepoint inside it, so whatever
    a test changes is rolled back before the next one, and the rows themselves are
    rolled back when the fixture ends. Tests must not need `transaction=True`, and get
    the fixture's Python objects through `copy.deepcopy` so that no test sees what
    another did to them in memory.

        with rows_shared_by_tests(django_db_blocker):
            with django_db_blocker.unblock():
                data = build()
            yield data
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # Like TestCase's own blocks: code under test may open atomic(durable=True).
        outer._from_testcase = True
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. The test cache lives in process memory
    (CACHE_URL=locmemcache://), which neither a rollback nor a flush empties: the company
    settings (with their terms versions) or a rendered fragment cached by an earlier test,
    whose rows are gone, would otherwise reach whichever test the worker runs next."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache_backend in caches.all(initialized_only=True):
        if isinstance(cache_backend, LocMemCache):
            cache_backend.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (settings.LANGUAGE_CODE). A request the
    test client makes activates its language in the thread and nothing switches it
    back, so a test that calls a service after another test's English page would get
    English messages: with the suite split across xdist workers, which test ran before
    changes from run to run."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher(django_test_environment):
    """Tests hash with MD5: Argon2 costs ~0.5 s per test user and the suite makes
    thousands. Production's hasher is proven by tests/core/test_password_hashing.py."""
    from django.test import override_settings

    override = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True, scope="session")
def _media_root_of_this_test_process(django_test_environment, tmp_path_factory):
    """Files a test stores go under pytest's temporary directory of this process (one
    per xdist worker), never into var/media of the checkout, which `make run` serves
    and parallel test processes would share. Tests that look at the files set their
    own `settings.MEDIA_ROOT = tmp_path / "media"`."""
    from django.test import override_settings

    override = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    override.enable()
    yield
    override.disable()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a machine without the PDF fonts (Debian's fonts-dejavu-core) a test that renders
    a PDF is skipped with the install command instead of failing; CI installs the fonts,
    and with CI=true the test fails as it is."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.failed
        and call.excinfo is not None
        and not os.environ.get("CI")
        and call.excinfo.errisinstance(_pdf_font_missing())
    ):
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            "Skipped: PDF fonts missing: apt-get install fonts-dejavu-core",
        )


def _pdf_font_missing():
    from ebok.core.pdf_fonts import PdfFontMissing

    return PdfFontMissing


def pdf_fonts_installed() -> bool:
    from pathlib import Path

    from django.conf import settings

    return (Path(settings.EBOK_PDF_FONT_DIR) / "DejaVuSans.ttf").is_file()


@pytest.fixture
def needs_pdf_fonts():
    """For tests whose PDF is rendered inside a task that records the failure instead of
    raising it: skip up front on a machine without the fonts (never under CI)."""
    if not pdf_fonts_installed() and not os.environ.get("CI"):
        pytest.skip("PDF fonts missing: apt-get install fonts-dejavu-core")
