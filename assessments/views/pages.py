"""Pages about the service itself, open to anyone (the sign-in page links to them)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def accessibility(request):
    return render(request, "accessibility.html")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico where a page links no icon (a JSON file,
    an error page): send them to the one in static/ rather than a 404."""
    return redirect(static("favicon.svg"))
