"""Jinja2 for the hottest markup: the page layout (header, menu, footer) that every page
pays for, called from the Django templates through the `layout` tag (core/templatetags).

Django's template language costs tens of microseconds per tag; the layout alone, with its
menu of `{% url %}` links, cost about as much as the rest of a logged-in request. The same
markup in Jinja2 (compiled to Python once per process) costs a fraction of it, and stays
markup that a designer can read. The pages themselves stay Django templates.

Escaping is the same as Django's: autoescape on, and Django's safe strings (`mark_safe`,
`SafeString`) are honoured through their `__html__`.
"""

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import (
    floatformat,
    linebreaks_filter,
    linebreaksbr,
    truncatechars,
)
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import localize
from django.utils.text import capfirst, slugify
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ebok.core import formatting

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "jinja"


@lru_cache(maxsize=512)
def _reverse(name: str, language: str, args: tuple = ()) -> str:
    # URL patterns are fixed for the life of the process; the language is part of the key
    # only so that a translated URL prefix would stay correct if one were ever added.
    return reverse(name, args=args or None)


def url(name: str, *args) -> str:
    return _reverse(name, translation.get_language() or "", tuple(args))


def _as_django_prints(value):
    """What Django's templates do to every value they print: an aware datetime in the
    current time zone, then numbers and dates in the active language's format
    (-4,1 in Polish, -4.1 in English)."""
    if value is None or isinstance(value, str):
        return value
    return localize(template_localtime(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=settings.DEBUG,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
        finalize=_as_django_prints,
    )
    # Old-style callables: a translation is escaped when printed, as Django's
    # {% translate %} does.
    env.install_gettext_callables(
        gettext, ngettext, newstyle=False, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(url=url, static=static)
    env.filters.update(
        money=formatting.money,
        dmy=formatting.dmy,
        nip=formatting.nip,
        bank_account=formatting.bank_account,
        date=date,
        capfirst=capfirst,
        slugify=slugify,
        # Django's own filter, so that numbers read the same as in the Django templates.
        floatformat=floatformat,
        # Django's own, so that a shortened text ends where the Django templates cut it.
        truncatechars=truncatechars,
        # Django's own: escapes, then line breaks become <br>.
        linebreaksbr=linebreaksbr,
        # Django's `linebreaks`: escapes, then paragraphs and <br>.
        linebreaks=linebreaks_filter,
    )
    return env


# The portal's usual formats, written by strftime (a tenth of the cost of Django's
# formatter); any other format goes through Django's.
_STRFTIME = {
    "d-m-Y": "%d-%m-%Y",
    "d-m-Y H:i": "%d-%m-%Y %H:%M",
    "d-m-Y H:i:s": "%d-%m-%Y %H:%M:%S",
    "Y-m-d": "%Y-%m-%d",
    "Y-m-d\\TH:i:sO": "%Y-%m-%dT%H:%M:%S%z",
}


def date(value, fmt: str) -> str:
    """Django's `date` filter: an aware datetime in the current time zone first."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if fmt in _STRFTIME:
        return value.strftime(_STRFTIME[fmt])
    return dateformat.format(value, fmt)


def render(template_name: str, context: dict) -> str:
    return environment().get_template(template_name).render(context)
