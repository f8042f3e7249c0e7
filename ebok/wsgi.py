"""WSGI entry point for gunicorn: `gunicorn ebok.wsgi` (see docs/deployment.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebok.settings")

application = get_wsgi_application()
