"""Which online request types customers are offered, in what order and with what help
text: the registry (request_types.py) says what a type is, the administrator's settings
(CompanySettings.request_type_settings, edited at /obsluga/ustawienia/wnioski/) say
whether and how it is offered. Reading them costs no query (cached configuration)."""

from dataclasses import replace

from ebok.core.models import CompanySettings
from ebok.letters import request_types


def _settings(config=None) -> dict:
    config = config or CompanySettings.get()
    return config.request_type_settings or {}


def configured_types(config=None) -> list[tuple[request_types.RequestType, dict]]:
    """Every registered type with its settings (active, position, help_text), in order."""
    settings = _settings(config)
    rows = []
    for index, request_type in enumerate(request_types.all_types()):
        entry = settings.get(request_type.code, {})
        rows.append(
            (
                request_type,
                {
                    "active": entry.get("active", True),
                    "position": entry.get("position", (index + 1) * 10),
                    "help_text": entry.get("help_text", ""),
                },
            )
        )
    rows.sort(key=lambda row: (row[1]["position"], row[0].title))
    return rows


def offered_types(config=None) -> list[request_types.RequestType]:
    """The active types in the administrator's order; a help text set by the
    administrator replaces the built-in description."""
    return [
        replace(t, description=s["help_text"]) if s["help_text"] else t
        for t, s in configured_types(config)
        if s["active"]
    ]


def is_offered(code: str, config=None) -> bool:
    return _settings(config).get(code, {}).get("active", True)
