"""List, and with --erase erase, the closed cases past their retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.plans.retention import cases_past_retention, erase_case


class Command(BaseCommand):
    help = (
        "List the closed cases whose retention period (CASE_RETENTION_DAYS) has passed. "
        "Nothing is erased unless --erase is given; each erasure is audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--erase", action="store_true", help="erase them (default: dry run)")

    def handle(self, *args, erase: bool, **options) -> None:
        cases = list(cases_past_retention(timezone.localdate()))
        days = settings.CASE_RETENTION_DAYS
        for case in cases:
            verb = "Erasing" if erase else "Would erase"
            self.stdout.write(
                f"{verb} client id {case.client_id} (team {case.client.team.name}), "
                f"closed {case.closed_on:%Y-%m-%d}"
            )
            if erase:
                erase_case(case)
        if not cases:
            self.stdout.write(f"No closed case is past its retention period ({days} days).")
        elif not erase:
            self.stdout.write(f"{len(cases)} case(s) past {days} days. Dry run: run with --erase.")
        else:
            self.stdout.write(f"Erased {len(cases)} case(s); each erasure is in the audit trail.")
