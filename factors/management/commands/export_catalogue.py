from django.core.management.base import BaseCommand

from factors.catalogue import dumps, export_catalogue


class Command(BaseCommand):
    help = "Print the catalogue (review, models, factors, studies, evidence) as JSON on stdout."

    def handle(self, *args, **options) -> None:
        self.stdout.write(dumps(export_catalogue()), ending="")
