"""What changed between a client's two latest completed assessments."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Assessment, Client, Finding, Stage


@dataclass
class Progress:
    earlier: Assessment
    later: Assessment
    now_present: list[Finding]
    no_longer_present: list[Finding]

    @property
    def stage_changed(self) -> bool:
        return self.earlier.stage != self.later.stage

    @property
    def stage_direction(self) -> int:
        """+1 forward in the Stages of Change, -1 back (a re-entry risk), 0 same/unknown."""
        order = Stage.values
        if not (self.earlier.stage and self.later.stage):
            return 0
        diff = order.index(self.later.stage) - order.index(self.earlier.stage)
        return (diff > 0) - (diff < 0)


def compare_latest(client: Client) -> Progress | None:
    latest = list(client.assessments.completed().order_by("-date", "-id")[:2])
    if len(latest) < 2:
        return None
    later, earlier = latest
    present: dict[int, dict[int, Finding]] = {later.pk: {}, earlier.pk: {}}
    for finding in (
        Finding.objects.filter(assessment__in=[later.pk, earlier.pk], status=Finding.Status.PRESENT)
        .select_related("factor")
        .order_by("factor__level_order", "factor__role_order", "factor__position")
    ):
        present[finding.assessment_id][finding.factor_id] = finding
    now, before = present[later.pk], present[earlier.pk]
    return Progress(
        earlier=earlier,
        later=later,
        now_present=[f for fid, f in now.items() if fid not in before],
        no_longer_present=[f for fid, f in before.items() if fid not in now],
    )
