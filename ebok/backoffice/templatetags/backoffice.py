from django import template

from ebok.backoffice.settings_nav import visible_sections

register = template.Library()


@register.inclusion_tag("backoffice/settings/_nav.html", takes_context=True)
def settings_nav(context):
    return {"sections": visible_sections(context["request"])}


@register.filter
def as_json(value) -> str:
    """Audit data as JSON text (escaped by the template like any text)."""
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)
