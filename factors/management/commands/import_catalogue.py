import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factors.catalogue import CatalogueError, import_catalogue, parse


class Command(BaseCommand):
    help = (
        "Read a catalogue file in the export_catalogue format, validate it and write it in one "
        "transaction: nothing is written if any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="JSON file, or - for standard input")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            counts = import_catalogue(parse(text))
        except CatalogueError as exc:
            lines = [f"{file}: {problem}" for problem in exc.problems]
            raise CommandError(
                f"Nothing was imported; {len(exc.problems)} problem(s):\n" + "\n".join(lines)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['factors']} factors and {counts['studies']} studies."
            )
        )
