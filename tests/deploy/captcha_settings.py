"""Production settings (DEBUG off, everything from the environment) plus one change for
scripted clients: django-simple-captcha's test mode accepts the answer "PASSED".
Used only by the processes tests/deploy starts."""

from ebok.settings import *  # noqa: F403

CAPTCHA_TEST_MODE = True
