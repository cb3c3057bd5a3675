from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessments.access import require
from assessments.models import AuditEvent


@never_cache
@login_required
def audit_list(request):
    """The audit trail of the supervisor's teams (read-only)."""
    require(request.user, "assessments.view_team_audit")
    events = AuditEvent.objects.for_user(request.user).select_related("team")
    page = Paginator(events, settings.CLIENTS_PER_PAGE * 2).get_page(request.GET.get("page"))
    return render(request, "assessments/audit_list.html", {"page": page})
