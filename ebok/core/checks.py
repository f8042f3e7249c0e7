"""System checks shown by `manage.py check` (and before `migrate`, `runserver`)."""

import os

from django.core import checks

from ebok.core.environment import old_names_in_use


@checks.register()
def old_environment_variable_names(app_configs=None, **kwargs):
    """ebok.W001: a variable is set under the name it had before the EBOK_ prefix."""
    warnings = []
    for old, new, new_is_set in old_names_in_use(os.environ):
        if new_is_set:
            msg = f"The environment variable {old} is ignored: {new} is set and wins."
            hint = f"Remove {old} from the environment (e.g. /etc/ebok/ebok.env)."
        else:
            msg = f"The environment variable {old} is an old name of {new}."
            hint = (
                f"Rename {old} to {new} (e.g. in /etc/ebok/ebok.env); "
                "the old name will stop working in a later release."
            )
        warnings.append(checks.Warning(msg, hint=hint, obj="environment", id="ebok.W001"))
    return warnings
