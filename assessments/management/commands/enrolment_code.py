from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.security import enrolment
from assessments.security.models import SecurityEvent


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code for the second factor, from the server: for the "
        "first superuser, or anyone whose supervisor cannot issue one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        code = enrolment.issue(issuer=None, user=user)
        SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.CODE_ISSUED, username="(manage.py)", subject=username
        )
        self.stdout.write(f"Enrolment code for {username} (shown once): {code}")
