from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Extract the messages from the code (makemessages) and fail if any language has an entry that is "
        "untranslated or fuzzy, or whose placeholders differ from the original."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-extract", action="store_true", help="Check the catalogues as they are.")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        if not options["no_extract"]:
            call_command(
                "makemessages",
                locale=languages,
                no_obsolete=True,
                ignore_patterns=[".venv/*", "tests/*", "var/*", "bench/*"],
                verbosity=0,
            )
        problems: list[str] = []
        for locale_dir in settings.LOCALE_PATHS:
            for language in languages:
                path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
                if not path.exists():
                    problems.append(f"{path}: missing")
                    continue
                catalogue = polib.pofile(str(path))
                for entry in catalogue:
                    if entry.obsolete:
                        continue
                    where = f"{path}:{entry.linenum} {entry.msgid[:60]!r}"
                    if "fuzzy" in entry.flags:
                        problems.append(f"{where}: fuzzy")
                    elif not entry.translated():
                        problems.append(f"{where}: untranslated")
                    elif entry.msgid_plural:
                        continue
                    elif "python-format" in entry.flags and _placeholders(entry.msgid) != _placeholders(entry.msgstr):
                        problems.append(f"{where}: placeholders differ")
        if problems:
            raise CommandError("Translations are incomplete:\n" + "\n".join(problems))
        self.stdout.write(f"Translations complete for {', '.join(languages)}.")


def _placeholders(text: str) -> list[str]:
    import re

    return sorted(re.findall(r"%\([a-z_]+\)[sd]", text))
