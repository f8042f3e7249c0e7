"""Production settings (DEBUG off, everything from the environment) with two changes,
used only by the processes tests/deploy starts:

- django-simple-captcha's test mode accepts the answer "PASSED" (scripted clients);
- collectstatic hashes the static files and writes the manifest as in production, but
  writes no gzip/brotli copies: compressing the API docs' ~10 MB of JavaScript and source
  maps costs ~25 s of CPU, and no test here reads a compressed copy (`make cluster-test`
  runs collectstatic with the production settings unchanged).
"""

from ebok.settings import *  # noqa: F403
from ebok.settings import STORAGES

CAPTCHA_TEST_MODE = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
