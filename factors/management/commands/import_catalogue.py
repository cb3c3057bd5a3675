import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from factors.catalogue import CatalogueError, import_catalogue, parse
from factors.versions import record_version


class Command(BaseCommand):
    help = (
        "Read a catalogue file in the export_catalogue format, validate it and write it in one "
        "transaction: nothing is written if any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="JSON file, or - for standard input")
        parser.add_argument(
            "--reason",
            default="",
            help="What the import changes and why: kept with the new catalogue version "
            "(without it, the version only names the file).",
        )
        parser.add_argument("--by", help="Username of the person responsible for the import.")

    def handle(self, *args, file: Path, reason: str, by: str | None = None, **options) -> None:
        reason = (
            reason.strip() or f"Imported {file.name if str(file) != '-' else 'from standard input'}"
        )
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(
                    _("No user named %(name)r: nothing was imported.") % {"name": by}
                )
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            with transaction.atomic():
                counts = import_catalogue(parse(text))
                version = record_version(user=user, reason=reason)
        except CatalogueError as exc:
            lines = [f"{file}: {problem}" for problem in exc.problems]
            n = len(exc.problems)
            heading = ngettext(
                "Nothing was imported; %(count)d problem:",
                "Nothing was imported; %(count)d problems:",
                n,
            ) % {"count": n}
            raise CommandError("\n".join([heading, *lines])) from exc
        self.stdout.write(
            self.style.SUCCESS(
                (
                    _(
                        "Imported %(factors)d factors and %(studies)d studies; "
                        "catalogue version %(number)d."
                    )
                    if version
                    else _("Imported %(factors)d factors and %(studies)d studies; nothing changed.")
                )
                % {
                    "factors": counts["factors"],
                    "studies": counts["studies"],
                    "number": version.number if version else 0,
                }
            )
        )
