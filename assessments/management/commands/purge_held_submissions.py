"""Delete forms held for signed-out users once HELD_SUBMISSION_SECONDS have passed.

They are purged whenever a form is held or restored as well; run this from
cron (e.g. hourly) so that none outlives its time on a quiet instance."""

from django.core.management.base import BaseCommand

from assessments.held import purge_expired


class Command(BaseCommand):
    help = "Delete held forms older than HELD_SUBMISSION_SECONDS."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{purge_expired()} held form(s) deleted.")
