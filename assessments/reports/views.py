"""The supervisor report: its page and its CSV export. Both read the filters and
hand over to ``published.build_report``, which perturbs and suppresses before
anything here sees a figure."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import audit
from assessments.access import require, teams_for
from assessments.models import AuditEvent
from assessments.reports.charts import bar_chart, trend_charts
from assessments.reports.csv import csv_filename, notes, render_csv
from assessments.reports.defaults import widened_default
from assessments.reports.forms import ReportFilterForm
from assessments.reports.periods import (
    MIN_CLIENTS_PER_PERIOD,
    ReportFilters,
    grain_names,
    grain_rule,
)
from assessments.reports.published import Report, build_report
from exitsupport.db_router import use_replica


def _prepare(request) -> tuple[ReportFilterForm, Report | None, str]:
    """The filter form, the report when the filters are valid, and what to say about
    the default period when it is not the last twelve months."""
    require(request.user, "assessments.view_team_report")
    teams = list(teams_for(request.user))
    raw_team = request.GET.get("team", "")
    if raw_team.isascii() and raw_team.isdigit() and int(raw_team) not in {t.pk for t in teams}:
        raise Http404  # not one of the user's teams: as if it did not exist
    today = timezone.localdate()
    form = ReportFilterForm(request.GET, teams=teams, today=today)
    if not teams or not form.is_valid():
        return form, None, ""
    filters, widened = form.filters(), ""
    if form.default_period:
        filters, widened = widened_default(filters, today)
    # Only the figures come from the replica: who may see which team (above) is
    # read from the primary, so a change of role or team counts at once.
    with use_replica():
        report = build_report(filters, threshold=settings.REPORT_MIN_CELL)
    return form, report, widened


def _audit(request, action: str, filters: ReportFilters) -> None:
    """One audit record per team the report covers, so that each team's
    supervisors see it in their trail (a report on "all my teams" included)."""
    # The audit trail is kept in the site's language, whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        detail = "; ".join(f"{label}: {value}" for label, value in filters.describe())
    audit.record_report(request, action, filters.team_ids, detail)


def query_string(filters: ReportFilters) -> str:
    return urlencode(
        {
            "team": filters.team_id or "",
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "age_group": filters.age_group,
            "route": filters.route,
            "setting": filters.setting,
            "grain": filters.grain,
        }
    )


@never_cache
@login_required
@require_safe
def report(request):
    """Aggregated figures for the supervisor's teams, safe to share."""
    form, result, widened = _prepare(request)
    context = {
        "form": form,
        "report": result,
        "has_teams": bool(form.teams),
        "threshold": settings.REPORT_MIN_CELL,
    }
    if result is not None:
        _audit(request, AuditEvent.Action.VIEW, result.filters)
        context.update(
            query=query_string(result.filters),
            notes=notes(result),
            widened=widened,
            snapped=form.snapped,
            grain_label=grain_names(result.grain)[1],
            grain_one=grain_names(result.grain)[0],
            grain_chosen=result.filters.grain == "auto",
            grain_rule=grain_rule(),
            min_per_period=MIN_CLIENTS_PER_PERIOD,
            factor_levels=[
                (level, label, roles, bar_chart(result, level))
                for level, label, roles in result.by_level()
            ],
            has_partial_period=any(p.partial for p in result.periods),
            trend_charts=trend_charts(result),
        )
    return render(request, "assessments/report.html", context)


@never_cache
@login_required
@require_safe
def report_csv(request):
    """The report's tables as CSV, with the same figures as the page."""
    form, result, _widened = _prepare(request)
    if result is None:
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()
        )
        return HttpResponseBadRequest(
            _("Invalid report filters. %(errors)s") % {"errors": errors or _("You lead no team.")},
            content_type="text/plain; charset=utf-8",
        )
    _audit(request, AuditEvent.Action.EXPORT, result.filters)
    response = HttpResponse(render_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(result.filters)}"'
    return response
