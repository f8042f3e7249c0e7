#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

A `.env` file next to this one (KEY=value lines, as in docs/configuration.md) is read
first when present, so commands copied from the docs run with the deployment's settings.
Variables already set in the environment win over the file.
"""

import os
import sys
from pathlib import Path


def load_env_file(path: Path) -> None:
    if path.is_file():
        import environ

        environ.Env.read_env(str(path), overwrite=False)


def main():
    load_env_file(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebok.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
