from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ebok.accounts"
    label = "accounts"
    verbose_name = _("Konta")

    def ready(self):
        from ebok.accounts import signals  # noqa: F401  (connects the login history)
