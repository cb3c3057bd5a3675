"""Recompute every client's latest completed assessments from the assessments.

They are kept in step as assessments are completed, reopened and deleted; run
this after writing assessments outside the app (a bulk import, SQL by hand)."""

from django.core.management.base import BaseCommand

from assessments import latest


class Command(BaseCommand):
    help = "Recompute each client's latest completed assessment per quarter (LatestCompleted)."

    def handle(self, *args, **options) -> None:
        rows = latest.rebuild()
        self.stdout.write(f"Rebuilt {rows} rows of clients' latest completed assessments.")
