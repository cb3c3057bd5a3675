"""Build the two test locales (en-xa accented, ar-xb right to left) from the
extracted messages, for both domains: build artefacts, never committed.

    manage.py pseudo_locales            # from locale/es/LC_MESSAGES/*.po
    manage.py pseudo_locales --fresh    # from a fresh makemessages run

`make compile` runs it before compilemessages.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from assessments import pofiles


class Command(BaseCommand):
    help = "Build the test locales' .po files (en_XA, ar_XB) from the extracted messages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="extract the messages now (makemessages in a scratch copy) instead of "
            "reading locale/es",
        )

    def handle(self, *args, fresh=False, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        with tempfile.TemporaryDirectory() as scratch:
            source = locale
            if fresh:
                source = pofiles.makemessages_into(
                    Path(settings.BASE_DIR), Path(scratch), languages=("es",)
                )
            for domain in pofiles.DOMAINS:
                path = source / "es" / "LC_MESSAGES" / f"{domain}.po"
                entries = pofiles.read(path) if path.exists() else []
                # Django's own words (month names, form errors, the admin) and
                # the installed apps' (axes, django-otp, simple-history...) too:
                # es and ne take them from those projects' catalogues, so
                # everything on a page must come through the test locale.
                for catalogue in pofiles.installed_catalogues(domain):
                    entries += pofiles.read(catalogue)
                for name, transform in pofiles.TEST_LOCALES.items():
                    out = locale / name / "LC_MESSAGES" / f"{domain}.po"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    built = pofiles.pseudo_entries(entries, transform, name)
                    out.write_text(pofiles.render(built), encoding="utf-8")
                    self.stdout.write(f"{out.relative_to(settings.BASE_DIR)}: {len(built) - 1}")
