from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from assessments.access import require
from assessments.audit import attach_links, label_details
from assessments.forms_audit import AuditFilterForm
from assessments.models import AuditEvent
from assessments.security.bursts import find_bursts


@never_cache
@login_required
def audit_list(request):
    """The audit trail of the supervisor's teams (read-only), filtered."""
    require(request.user, "assessments.view_team_audit")
    form = AuditFilterForm(request.GET)
    page = None
    if form.is_valid():
        events = form.filter(AuditEvent.objects.for_user(request.user).select_related("team"))
        page = Paginator(events, settings.CLIENTS_PER_PAGE * 2).get_page(request.GET.get("page"))
        page.object_list = label_details(attach_links(request.user, list(page.object_list)))
    context = {
        "form": form,
        "page": page,
        "filtered": any(form.data.get(name) for name in form.fields),
        "draft_minutes": settings.AUDIT_DRAFT_MINUTES,
        "bursts": None,
    }
    if request.user.is_superuser:
        context.update(
            bursts=find_bursts(),
            burst_count=settings.REFUSAL_BURST_COUNT,
            burst_minutes=settings.REFUSAL_BURST_MINUTES,
        )
    return render(request, "assessments/audit_list.html", context)
