from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "ebok.insight"
    label = "insight"
    verbose_name = _("analiza zużycia ciepła")
