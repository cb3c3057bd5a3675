"""The catalogue's versions: who changed what and why.

Results of a completed assessment link here when the catalogue has changed
since it was completed (``?since=<its version>``).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from factors.models import CatalogueVersion
from factors.versions import changed_factors

PER_PAGE = 10


@never_cache
@login_required
def version_list(request):
    since = request.GET.get("since", "")
    if since and not (since.isascii() and since.isdigit() and len(since) <= 9):
        return HttpResponseBadRequest(_("since must be a version number."))
    versions = CatalogueVersion.objects.select_related("created_by")
    if since:
        versions = versions.filter(number__gt=int(since))
    page = Paginator(versions, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    previous = (
        CatalogueVersion.objects.filter(number__lt=shown[-1].number)
        .order_by("-number")
        .values_list("snapshot", flat=True)
        .first()
        if shown
        else None
    )
    rows = []
    for index, version in enumerate(shown):
        before = shown[index + 1].snapshot if index + 1 < len(shown) else previous
        rows.append((version, changed_factors(before, version.snapshot)))
    return render(
        request,
        "factors/version_list.html",
        {"rows": rows, "page": page, "since": since},
    )
