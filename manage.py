#!/usr/bin/env python
"""Django's command-line utility; config.settings.dev is the default settings module."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 -- startup

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
