"""`render_page`: a whole portal page rendered by Jinja2, layout included.

Most pages are Django templates that extend base.html and call the Jinja2 layout parts
through `{% layout %}` (core/templatetags/layout.py). The most visited pages skip the
Django template altogether: their template extends jinja/layout/page.html, and this
gives it what the context processors give a Django template (the user, the company
settings, the messages, the current customer, the interruption banner, the CSRF field).
The HTML is the same; the Django template engine's cost per page is gone.
"""

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.signals import template_rendered
from django.utils.functional import SimpleLazyObject

from ebok.core import jinja
from ebok.core import layout as page_layout
from ebok.core.context_processors import site
from ebok.portal.context_processors import interruption_banner, portal


class _Rendered:
    """What Django's test client records of a rendered template (`response.templates`)."""

    def __init__(self, name):
        self.name = name


def page_context(request, kind: str = "portal") -> dict:
    user = request.user
    values = {
        "request": request,
        "user": user,
        "messages": SimpleLazyObject(lambda: list(get_messages(request))),
        **site(request),
        **portal(request),
        **interruption_banner(request),
    }
    data = page_layout.context(values)
    data["kind"] = kind
    data["company_settings"] = data["config"]
    data["csrf_token"] = SimpleLazyObject(lambda: get_token(request))
    return data


def render_page(request, template_name: str, context=None, *, kind="portal", status=200):
    data = page_context(request, kind)
    if context:
        data.update(context)
    # Only Django's test client listens (response.context, assertTemplateUsed).
    if template_rendered.receivers:
        template_rendered.send(sender=_Rendered, template=_Rendered(template_name), context=data)
    return HttpResponse(jinja.render(template_name, data), status=status)
