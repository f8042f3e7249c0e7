"""Environment variables under their current name, and the old names still understood.

Product variables carry the `EBOK_` prefix; Django's own setting names (`SECRET_KEY`,
`SESSION_COOKIE_AGE`, ...), django-environ's URLs (`DATABASE_URL`, `CACHE_URL`,
`EMAIL_URL`) and `LOG_LEVEL` do not (docs/decisions.md, decision 100). A variable that
was renamed to get the prefix keeps working under its old name: `Env` reads the current
name and, only when it is unset, the old one. `manage.py check` names every old name it
finds in the environment (ebok.W001, `ebok.core.checks`), so an administrator sees what
to rename before the old names are dropped.

Imported by the settings module: no Django imports here.
"""

import environ

# Old name -> current name. docs/configuration.md lists the current names.
RENAMED = {
    "SITE_URL": "EBOK_BASE_URL",
    "SITE_PUBLISHED_ON": "EBOK_PUBLISHED_ON",
    "TRUSTED_PROXIES": "EBOK_TRUSTED_PROXIES",
    "BEHIND_TLS_PROXY": "EBOK_BEHIND_TLS_PROXY",
    "CACHE_KEY_PREFIX": "EBOK_CACHE_KEY_PREFIX",
    "PASSWORD_POLICY": "EBOK_PASSWORD_POLICY",
    "PASSWORD_MIN_LENGTH": "EBOK_PASSWORD_MIN_LENGTH",
    "AXES_FAILURE_LIMIT": "EBOK_LOGIN_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES": "EBOK_LOGIN_COOLOFF_MINUTES",
    "SESSION_IDLE_TIMEOUT": "EBOK_SESSION_IDLE_TIMEOUT",
    "SESSION_ABSOLUTE_LIMIT": "EBOK_SESSION_ABSOLUTE_LIMIT",
    "OTP_TOTP_ISSUER": "EBOK_TOTP_ISSUER",
    "S3_BUCKET": "EBOK_S3_BUCKET",
    "S3_ENDPOINT_URL": "EBOK_S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID": "EBOK_S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY": "EBOK_S3_SECRET_ACCESS_KEY",
    "S3_REGION": "EBOK_S3_REGION",
    "S3_ADDRESSING_STYLE": "EBOK_S3_ADDRESSING_STYLE",
    "S3_PREFIX": "EBOK_S3_PREFIX",
    "TASKS_BACKEND": "EBOK_TASKS_BACKEND",
    "PAYMENT_REMINDER_DAYS_BEFORE": "EBOK_PAYMENT_REMINDER_DAYS_BEFORE",
    "PAYMENT_REMINDER_DAYS_AFTER": "EBOK_PAYMENT_REMINDER_DAYS_AFTER",
    "API_IMPORT_MAX_RECORDS": "EBOK_API_IMPORT_MAX_RECORDS",
    "LOG_FORMAT": "EBOK_LOG_FORMAT",
    "METRICS_TOKEN": "EBOK_METRICS_TOKEN",
}
_OLD_NAME = {new: old for old, new in RENAMED.items()}


class Env(environ.Env):
    """django-environ's reader, falling back to a renamed variable's old name."""

    def get_value(self, var, *args, **kwargs):
        old = _OLD_NAME.get(var)
        if old is not None and var not in self.ENVIRON and old in self.ENVIRON:
            var = old
        return super().get_value(var, *args, **kwargs)


def old_names_in_use(environment) -> list[tuple[str, str, bool]]:
    """`(old name, current name, whether the current one is set too)` for every old
    name set in `environment` (a mapping such as `os.environ`), in `RENAMED` order."""
    return [(old, new, new in environment) for old, new in RENAMED.items() if old in environment]
