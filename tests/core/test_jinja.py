"""The Jinja2 partials print values exactly as the Django templates would."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from ebok.core import jinja


def both(source_django: str, source_jinja: str, **values) -> tuple[str, str]:
    django_out = engines["django"].from_string(source_django).render(values)
    jinja_out = jinja.environment().from_string(source_jinja).render(values)
    return django_out, jinja_out


def test_numbers_and_dates_are_localised_as_in_django_templates():
    values = {
        "f": -4.1,
        "d": Decimal("1234.50"),
        "n": 12345,
        "day": date(2026, 12, 1),
        "moment": datetime(2026, 12, 1, 4, 30, tzinfo=UTC),
        "nothing": None,
    }
    source = "{{ f }}|{{ d }}|{{ n }}|{{ day }}|{{ moment }}|{{ nothing }}"
    for language in ("pl", "en"):
        with translation.override(language):
            django_out, jinja_out = both(source, source, **values)
            assert jinja_out == django_out, language
    with translation.override("pl"):
        assert both(source, source, **values)[1].startswith("-4,1|1234,50|12345|")


def test_everything_printed_is_escaped_but_safe_strings_pass():
    text = '<script>alert("x")</script>'
    django_out, jinja_out = both(
        "{{ t }}|{{ s }}", "{{ t }}|{{ s }}", t=text, s=mark_safe("<b>ok</b>")
    )
    # The same escaping; quotes are written as numeric references by Jinja2.
    assert jinja_out.replace("&#34;", "&quot;") == django_out
    assert "<script>" not in jinja_out and "<b>ok</b>" in jinja_out


def test_a_translation_is_printed_in_the_active_language_and_escaped():
    with translation.override("en"):
        out = jinja.environment().from_string('{{ _("Pisma") }}').render()
    assert out == "Letters"


def test_date_filter_matches_djangos_for_the_portals_formats():
    moment = datetime(2026, 12, 1, 4, 30, 5, tzinfo=UTC)
    for fmt in ("d-m-Y", "d-m-Y H:i", "d-m-Y H:i:s", "Y-m-d", "Y-m-d\\TH:i:sO", "j E Y"):
        django_out = engines["django"].from_string("{{ m|date:f }}").render({"m": moment, "f": fmt})
        assert jinja.date(moment, fmt) == django_out, fmt
