"""`{% layout "part" kind="portal" %}`: a part of the page layout (head links, header,
messages, footer) rendered by Jinja2 from ebok/templates/jinja/layout/ (core/jinja.py)."""

from django import template
from django.utils.safestring import mark_safe

from ebok.core import jinja
from ebok.core import layout as page_layout

register = template.Library()


@register.simple_tag(takes_context=True)
def layout(context, part, kind="public"):
    data = context.render_context.get("ebok_layout")
    if data is None:
        data = context.render_context["ebok_layout"] = page_layout.context(context)
    data["kind"] = kind
    # Jinja2 escapes every value it prints (autoescape), as Django's templates do.
    return mark_safe(jinja.render(f"layout/{part}.html", data))  # noqa: S308
