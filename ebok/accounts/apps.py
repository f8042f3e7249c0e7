from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ebok.accounts"
    label = "accounts"
    verbose_name = _("Konta")

    def ready(self):
        from django.contrib import admin
        from django_otp.admin import OTPAdminSite

        from ebok.accounts import signals  # noqa: F401  (connects the login history)

        # Django's admin (superusers only) asks for the 2FA code too, like the back office.
        admin.site.__class__ = OTPAdminSite
