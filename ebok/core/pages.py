"""`render_page`: a whole page rendered by Jinja2, layout included.

Most pages are Django templates that extend base.html and call the Jinja2 layout parts
through `{% layout %}` (core/templatetags/layout.py). The most visited pages skip the
Django template altogether: their template extends jinja/layout/page.html, and this
gives it what a Django template gets: the values of the configured context processors
(the user, the company settings, the messages, the current customer, the interruption
banner — each lazy where it costs a query) and the CSRF field. The HTML is the same; the
Django template engine's cost per page is gone (docs/decisions.md, 107).
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.signals import template_rendered
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from ebok.core import jinja
from ebok.core import layout as page_layout


class _Rendered:
    """What Django's test client records of a rendered template (`response.templates`)."""

    def __init__(self, name):
        self.name = name


@lru_cache(maxsize=1)
def _context_processors() -> tuple:
    """The Django template engine's context processors (settings.TEMPLATES)."""
    engine = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("DjangoTemplates"))
    return tuple(import_string(path) for path in engine["OPTIONS"]["context_processors"])


def page_context(request, kind: str) -> dict:
    values = {}
    for processor in _context_processors():
        values.update(processor(request))
    data = page_layout.context(values)
    data["kind"] = kind
    data["company_settings"] = data["config"]
    data["csrf_token"] = SimpleLazyObject(lambda: get_token(request))
    return data


def render_page(request, template_name: str, context=None, *, kind="portal", status=200):
    """`template_name` (under templates/jinja/, extending layout/page.html) with the
    layout's values and `context`; `kind` is the layout's: "portal", "backoffice" or
    "public"."""
    data = page_context(request, kind)
    if context:
        data.update(context)
    # Only Django's test client listens (response.context, assertTemplateUsed).
    if template_rendered.receivers:
        template_rendered.send(sender=_Rendered, template=_Rendered(template_name), context=data)
    return HttpResponse(jinja.render(template_name, data), status=status)
