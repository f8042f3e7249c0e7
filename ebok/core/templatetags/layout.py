"""`{% layout "part" kind="portal" %}`: a part of the page layout (head links, header,
messages, footer) rendered by Jinja2 from ebok/templates/jinja/layout/ (core/jinja.py)."""

from django import template
from django.utils.safestring import mark_safe

from ebok.core import jinja as jinja_engine
from ebok.core import layout as page_layout

register = template.Library()


@register.simple_tag(takes_context=True)
def layout(context, part, kind="public"):
    data = context.render_context.get("ebok_layout")
    if data is None:
        data = context.render_context["ebok_layout"] = page_layout.context(context)
    data["kind"] = kind
    # Jinja2 escapes every value it prints (autoescape), as Django's templates do.
    return mark_safe(jinja_engine.render(f"layout/{part}.html", data))  # noqa: S308


@register.simple_tag(takes_context=True)
def jinja(context, template_name, **values):
    """`{% jinja "portal/invoice_rows.html" invoices=page.object_list %}`: a hot part of a
    page (a table's rows) rendered by Jinja2 from ebok/templates/jinja/ with the given
    values (and `request`)."""
    values.setdefault("request", context.get("request"))
    return mark_safe(jinja_engine.render(template_name, values))  # noqa: S308
