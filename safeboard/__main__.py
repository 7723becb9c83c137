"""`python -m safeboard <command>` runs Django management commands with Safeboard's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeboard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m safeboard", *sys.argv[1:]])


if __name__ == "__main__":
    main()
