"""The report as CSV: the same published cells as the page, safe to open in a
spreadsheet whichever separator it assumes."""

from __future__ import annotations

import csv
import io
import re

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.reports.disclosure import MAX_CHANGE
from assessments.reports.periods import ReportFilters, grain_names
from assessments.reports.published import Report

# A spreadsheet runs a cell as a formula when it starts with one of these (the
# full-width forms included: some spreadsheets fold them to ASCII).
RISKY = "=+-@\t\r\n＝＋－＠"
# Where a cell may start once a spreadsheet has split the line: at the start, and
# after any separator it might assume (comma, semicolon, tab, pipe), spaces allowed.
_CELL_START = re.compile(r"(^|[,;\t|])(\s*)(?=[" + re.escape(RISKY) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def safe(value) -> str:
    """A cell no spreadsheet will run as a formula: line breaks become spaces, and
    every place where a cell could start with a risky character (after a comma or
    a semicolon too, for spreadsheets that split on them) gets a leading apostrophe."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _CELL_START.sub(lambda m: f"{m.group(1)}{m.group(2)}'", text)
    return "'" + text if text[:1] in RISKY else text


def csv_filename(filters: ReportFilters) -> str:
    def part(value: str) -> str:
        return slugify(value.replace("_", "-")) or "any"

    team = slugify(filters.team_name) if filters.team_id else "all-teams"
    return (
        f"exitsupport-report-{team or 'team'}-{filters.start.isoformat()}-to-"
        f"{filters.end.isoformat()}-age-{part(filters.age_group)}-route-{part(filters.route)}"
        f"-setting-{part(filters.setting)}.csv"
    )


def notes(report: Report) -> list[str]:
    """What a reader of the figures must know, as the page says it too."""
    return [
        _(
            "Counts are perturbed slightly (each by at most %(max_change)s either way, always "
            "the same way for the same clients) so that comparing two reports cannot reveal a "
            "person; the parts of a total are then adjusted to add up to it (a factor's present "
            "and not present; its absent and not absent; the stages). Factors neither present "
            "nor absent were not assessed."
        )
        % {"max_change": MAX_CHANGE},
        _(
            "Counts below %(threshold)s are shown as <%(threshold)s; 'suppressed' marks a figure "
            "withheld so that a small count cannot be worked out from others."
        )
        % {"threshold": report.threshold},
        _(
            "Only clients who consented to anonymised statistics, and did not withdraw it or "
            "their consent to the record, are counted."
        ),
    ]


def render_csv(report: Report) -> str:
    """The CSV, for people to read: its headers and explanatory lines in the
    language in use (the requesting user's); the first column's table names
    ("summary", "factors", "stages", "trend") are fixed keys, to filter on."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)

    def comment(text: str) -> None:
        writer.writerow([safe("# " + " ".join(text.split()))])

    comment(
        _("ExitSupport supervisor report: aggregated figures, perturbed and small cells withheld")
    )
    for label, value in report.filters.describe():
        comment(_("%(label)s: %(value)s") % {"label": label, "value": value})
    for note in notes(report):
        comment(note)

    def rows(header: list[str], body) -> None:
        writer.writerow([])
        writer.writerow([safe(cell) for cell in header])
        writer.writerows([[safe(cell) for cell in row] for row in body])

    table = pgettext("CSV column", "table")
    rows(
        [table, pgettext("CSV column", "measure"), pgettext("CSV column", "value")],
        [
            ["summary", _("clients counted"), report.clients],
            ["summary", _("completed assessments"), report.assessments],
            ["summary", _("clients left out: no consent to statistics"), report.excluded],
        ],
    )
    if report.withheld:
        return out.getvalue()
    level, role, factor = (
        pgettext("CSV column", "level"),
        pgettext("CSV column", "role"),
        pgettext("CSV column", "factor"),
    )
    rows(
        [
            table,
            level,
            role,
            factor,
            pgettext("CSV column", "way of acting on it"),
            pgettext("CSV column", "clients with factor present"),
            pgettext("CSV column", "share present"),
            pgettext("CSV column", "clients with factor absent"),
            pgettext("CSV column", "share absent"),
        ],
        [
            [
                "factors",
                r.factor.level_label,
                r.factor.role_label,
                r.factor.label,
                r.factor.action,
                r.present,
                r.share,
                r.absent,
                r.absent_share,
            ]
            for r in report.rows
        ],
    )
    rows(
        [
            table,
            pgettext("CSV column", "stage of change"),
            pgettext("CSV column", "clients"),
            pgettext("CSV column", "share of clients"),
        ],
        [["stages", s.label, s.clients, s.share] for s in report.stages],
    )
    rows(
        [table, level, role, factor, *(p.label for p in report.periods)],
        [
            [
                "trend",
                "",
                "",
                _("clients assessed in the period (%(periods)s)")
                % {"periods": grain_names(report.grain)[1]},
                *report.period_clients,
            ],
            *(
                ["trend", s.factor.level_label, s.factor.role_label, s.factor.label, *s.shares]
                for s in report.series
            ),
        ],
    )
    return out.getvalue()
