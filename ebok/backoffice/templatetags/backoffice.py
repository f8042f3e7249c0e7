from django import template

from ebok.backoffice.settings_nav import visible_sections

register = template.Library()


@register.inclusion_tag("backoffice/settings/_nav.html", takes_context=True)
def settings_nav(context):
    return {"sections": visible_sections(context["request"])}
