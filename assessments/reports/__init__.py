"""Supervisor reports: aggregated figures about a caseload, safe to share.

The parts, in the order a figure goes through them:

- ``periods``: the filters, whole-month periods and the trend's grain;
- ``compute``: the true counts (and their clients' key sums) from the database;
- ``disclosure``: cell-key perturbation and small-cell suppression (pure);
- ``published``: the cells the report may publish, and its groupings;
- ``defaults``: the default period for a team whose data is thin;
- ``charts`` (SVG geometry) and ``csv`` (the export) render published cells only;
- ``forms`` and ``views``: the filter form, the page and the download.
"""

from assessments.reports.compute import RawReport, compute_report
from assessments.reports.periods import ReportFilters

__all__ = ["RawReport", "ReportFilters", "compute_report"]
