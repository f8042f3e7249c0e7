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

        # Django's admin asks for the 2FA code too, like the back office, and is for
        # superusers only: staff status alone (or a back-office role) does not open it.
        class SuperuserOTPAdminSite(OTPAdminSite):
            def has_permission(self, request):
                return super().has_permission(request) and request.user.is_superuser

        admin.site.__class__ = SuperuserOTPAdminSite
