"""What changed: between the two latest completed assessments (the client page),
and factor by factor across all of them (the timeline)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import Assessment, Client, Finding, Stage
from assessments.statements import client_page_reads
from factors.models import Role


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


def compare_latest(client: Client, assessments: list[Assessment] | None = None) -> Progress | None:
    """``assessments``: the client's assessments, already read in their default
    order (newest first), which saves a query."""
    if assessments is None:
        latest = list(client.assessments.completed().order_by("-date", "-id")[:2])
    else:
        latest = [a for a in assessments if a.is_completed][:2]
    if len(latest) < 2:
        return None
    later, earlier = latest
    present: dict[int, dict[int, Finding]] = {later.pk: {}, earlier.pk: {}}
    # The page shows the label and role kept on each finding: the factor is
    # only joined for the catalogue's order.
    for finding in client_page_reads.findings_of(later.pk, earlier.pk, Finding.Status.PRESENT):
        present[finding.assessment_id][finding.factor_id] = finding
    now, before = present[later.pk], present[earlier.pk]
    progress = Progress(
        earlier=earlier,
        later=later,
        now_present=[f for fid, f in now.items() if fid not in before],
        no_longer_present=[f for fid, f in before.items() if fid not in now],
    )
    # Each shown finding's role label, as get_factor_role_display gives it
    # without rebuilding the field's choices on every call.
    for finding in (*progress.now_present, *progress.no_longer_present):
        finding.role_label = Role(finding.factor_role).label
    return progress


@dataclass
class Point:
    """One factor at one completed assessment."""

    assessment: Assessment
    status: str
    note: str
    changed: bool  # status differs from the previous assessment's
    note_changed: bool

    @property
    def status_label(self) -> str:
        return Finding.Status(self.status).label if self.status else _("Not answered")


@dataclass
class FactorLine:
    label: str
    role: str
    role_label: str
    points: list[Point]

    @property
    def changes(self) -> int:
        return sum(p.changed for p in self.points[1:])


@dataclass
class Timeline:
    assessments: list[Assessment]
    stages: list[tuple[Assessment, str, bool]]
    factors: list[FactorLine]

    @property
    def changed_factors(self) -> list[FactorLine]:
        return [line for line in self.factors if line.changes]


def timeline_for(client: Client) -> Timeline:
    """Every completed assessment of ``client``, oldest first, and per factor
    its status and note at each one, with every change (present, absent, not
    assessed) marked. Three queries, however many assessments."""
    assessments = list(client.assessments.completed().order_by("date", "id"))
    index = {a.pk: i for i, a in enumerate(assessments)}
    lines: dict[int, FactorLine] = {}
    cells: dict[int, list[Finding | None]] = {}
    findings = (
        Finding.objects.filter(assessment__in=list(index))
        .select_related("factor")
        .order_by("factor__level_order", "factor__role_order", "factor__position")
    )
    for finding in findings:
        if finding.factor_id not in lines:
            lines[finding.factor_id] = FactorLine(
                finding.factor_label, finding.factor_role, finding.get_factor_role_display(), []
            )
            cells[finding.factor_id] = [None] * len(assessments)
        cells[finding.factor_id][index[finding.assessment_id]] = finding
    for factor_id, line in lines.items():
        previous: Finding | None = None
        for i, finding in enumerate(cells[factor_id]):
            status = finding.status if finding else ""
            note = finding.note if finding else ""
            line.points.append(
                Point(
                    assessments[i],
                    status,
                    note,
                    changed=i > 0 and status != (previous.status if previous else ""),
                    note_changed=i > 0 and note != (previous.note if previous else ""),
                )
            )
            previous = finding
    stages = [
        (a, a.get_stage_display(), i > 0 and a.stage != assessments[i - 1].stage)
        for i, a in enumerate(assessments)
    ]
    return Timeline(assessments, stages, list(lines.values()))
