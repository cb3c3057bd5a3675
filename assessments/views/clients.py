"""Client records: list, create, view, edit, consent, reassign, export, erase."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import audit
from assessments.access import get_client_for, require
from assessments.export import client_record
from assessments.forms import ClientForm, EraseForm, ReassignForm, SearchForm
from assessments.models import SYNTHETIC_PREFIXES, Assessment, AuditEvent, Client
from assessments.progress import compare_latest
from assessments.security.trace import trace_reference_elsewhere
from assessments.statements import client_page_reads

# Lazy: the plan views show it too, in the language of the request.
CONSENT_WITHDRAWN = gettext_lazy(
    "The person withdrew consent to have their data recorded: the record is kept as it is until "
    "a supervisor exports or erases it. Nothing can be added, changed, reopened, reassigned or "
    "deleted."
)


# A number no client has: its link is reversed once per page and each row's made from it.
_URL_SENTINEL = 987654321987654321


LIST_VALUES = (
    "pk",
    "reference",
    "team__name",
    "caseworker__first_name",
    "caseworker__last_name",
    "caseworker__username",
    "last_date",
    "last_status",
)


def _list_rows(page) -> list[dict]:
    """What each row of the client list shows, read and formatted once in
    Python, as dicts (the template's lookups find each value at the first try
    and the row needs no filter or test but two)."""
    link = reverse("assessments:client", args=[_URL_SENTINEL])
    head, tail = link.split(str(_URL_SENTINEL))
    completed = ("text-bg-success", pgettext("assessment status", "completed"))
    draft = ("text-bg-secondary", pgettext("assessment status", "draft"))
    rows = []
    for client in page:
        first, last = client["caseworker__first_name"], client["caseworker__last_name"]
        name = f"{first or ''} {last or ''}".strip()  # None: no caseworker
        last_date = client["last_date"]
        badge, status = completed if client["last_status"] == Assessment.Status.COMPLETED else draft
        rows.append(
            {
                "url": f"{head}{client['pk']}{tail}",
                "reference": client["reference"],
                "synthetic": client["reference"].startswith(SYNTHETIC_PREFIXES),
                "team": client["team__name"],
                # as display_name: the full name, else the username, else a dash
                "caseworker": name or client["caseworker__username"] or "—",
                "last_date": date_format(last_date, "DATE_FORMAT") if last_date else "",
                "badge": badge,
                "status": status,
            }
        )
    return rows


class _ListPaginator(Paginator):
    """Counts the clients with the list's filters alone: without the joins
    and the latest assessment's subqueries that each row shows (the count
    reads an index only)."""

    def __init__(self, object_list, per_page, *, counted):
        super().__init__(object_list, per_page)
        self._counted = counted

    @cached_property
    def count(self) -> int:
        return self._counted.count()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_list(request):
    """The user's clients. A search is POSTed and answered on the spot: the
    text travels in no URL that a proxy might log, and is kept nowhere on
    the server (not in the session) once the page is sent."""
    require(request.user, "assessments.view_client")
    query = ""
    if request.method == "POST" and "clear" not in request.POST:
        form = SearchForm(request.POST)
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
        else:
            messages.error(request, _("Search by a reference of at most 40 characters."))
            return redirect("assessments:clients")
    mine = Client.objects.for_user(request.user, listing=True)
    if query:
        mine = mine.filter(reference__icontains=query)
    latest = Assessment.objects.filter(client=OuterRef("pk")).order_by("-date", "-id")
    # Plain values, not model instances: what the rows show, and no more.
    clients = (
        mine.annotate(
            last_date=Subquery(latest.values("date")[:1]),
            last_status=Subquery(latest.values("status")[:1]),
        )
        .order_by("reference")
        .values(*LIST_VALUES)
    )
    number = request.POST.get("page") if query else request.GET.get("page")
    page = _ListPaginator(clients, settings.CLIENTS_PER_PAGE, counted=mine).get_page(number)
    return render(
        request,
        "assessments/client_list.html",
        {
            "page": page,
            "rows": _list_rows(page),
            "search_form": SearchForm(initial={"q": query}),
            "query": query,
            "can_add": request.user.has_perm("assessments.add_client"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    require(request.user, "assessments.add_client")
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        client = form.save()
        audit.record(request, AuditEvent.Action.CREATE, client)
        trace_reference_elsewhere(request, client)
        messages.success(
            request, _("Client %(reference)s created.") % {"reference": client.reference}
        )
        return redirect(client)
    return render(request, "assessments/client_form.html", {"form": form, "client": None})


@never_cache
@login_required
def client_detail(request, pk: int):
    client = get_client_for(request.user, pk)
    assessments = client_page_reads.assessments_of(client)
    audit.record(request, AuditEvent.Action.VIEW, client)
    user = request.user
    return render(
        request,
        "assessments/client_detail.html",
        {
            "client": client,
            "assessments": assessments,
            "progress": compare_latest(client, assessments),
            "can_assess": user.has_perm("assessments.add_assessment"),
            "can_edit": user.has_perm("assessments.change_client"),
            "can_reassign": user.has_perm("assessments.reassign_client")
            and client.has_data_consent,
            "can_export": user.has_perm("assessments.export_client"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = get_client_for(request.user, pk, perm="assessments.change_client")
    if not client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect(client)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(request, AuditEvent.Action.CHANGE, client, "details or consent")
        if "reference" in form.changed_data:
            trace_reference_elsewhere(request, client)
        messages.success(request, _("Client record saved."))
        return redirect(client)
    if request.method == "GET":
        audit.record(request, AuditEvent.Action.VIEW, client, "edit form")
    return render(request, "assessments/client_form.html", {"form": form, "client": client})


@never_cache
@login_required
@require_POST
def client_consent_withdraw(request, pk: int, kind: str):
    """Record that the person withdrew a consent; the record shows when (even
    on a closed case, which refuses every other change)."""
    client = get_client_for(request.user, pk)
    require(request.user, "assessments.change_client")
    field = {"data": "data_consent_withdrawn_at", "stats": "stats_consent_withdrawn_at"}[kind]
    if getattr(client, field) is None:
        setattr(client, field, timezone.now())
        client.save(update_fields=[field, "updated_at"])
        audit.record(request, AuditEvent.Action.CHANGE, client, f"{kind} consent withdrawn")
        messages.success(request, _("The withdrawal of consent is recorded."))
    return redirect(client)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_reassign(request, pk: int):
    client = get_client_for(request.user, pk, perm="assessments.reassign_client")
    if not client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect(client)
    form = ReassignForm(
        request.POST or None, client=client, initial={"caseworker": client.caseworker_id}
    )
    if request.method == "POST" and form.is_valid():
        client.caseworker = form.cleaned_data["caseworker"]
        client.save(update_fields=["caseworker", "updated_at"])
        audit.record(request, AuditEvent.Action.REASSIGN, client)
        messages.success(request, _("Client reassigned."))
        return redirect(client)
    if request.method == "GET":
        audit.record(request, AuditEvent.Action.VIEW, client, "reassign form")
    return render(request, "assessments/client_reassign.html", {"form": form, "client": client})


@never_cache
@login_required
@require_POST
def client_export(request, pk: int):
    client = get_client_for(request.user, pk, perm="assessments.export_client")
    audit.record(request, AuditEvent.Action.EXPORT, client)
    response = HttpResponse(
        json.dumps(client_record(client), ensure_ascii=False, indent=2),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def client_erase(request, pk: int):
    """Erase a client and all their assessments. The audit trail keeps that it
    happened, by whom and the record's id, but nothing about the person."""
    client = get_client_for(request.user, pk, perm="assessments.export_client")
    form = EraseForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            audit.record(request, AuditEvent.Action.ERASE, client)
            client.delete()
        messages.success(request, _("The client's record and assessments were erased."))
        return redirect("assessments:clients")
    if request.method == "GET":
        audit.record(request, AuditEvent.Action.VIEW, client, "erase form")
    counts = client.assessments.aggregate(
        total=Count("id"), completed=Count("id", filter=Q(status="completed"))
    )
    return render(
        request,
        "assessments/client_erase.html",
        {"form": form, "client": client, "counts": counts},
    )
