from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from factors.models import Evidence, Factor, Level, Review, Role, Study, TheoreticalModel


@never_cache
@login_required
def catalogue(request):
    """The catalogue as a level × role grid, like the review's Figure 2."""
    factors = Factor.objects.annotate(n_studies=Count("evidence__study", distinct=True))
    cells: dict[tuple[str, str], list[Factor]] = {}
    for factor in factors:
        cells.setdefault((factor.level, factor.role), []).append(factor)
    grid = [
        (level, [(role, cells.get((level.value, role.value), [])) for role in Role])
        for level in Level
    ]
    roles = [
        (role, sum(len(cells.get((level, role.value), [])) for level in Level.values))
        for role in Role
    ]
    return render(
        request,
        "factors/catalogue.html",
        {"grid": grid, "roles": roles, "review": Review.objects.first()},
    )


@never_cache
@login_required
def factor_detail(request, slug: str):
    factor = get_object_or_404(
        Factor.objects.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("study"))
        ),
        slug=slug,
    )
    return render(request, "factors/factor_detail.html", {"factor": factor})


@never_cache
@login_required
def study_list(request):
    studies = Study.objects.annotate(n_factors=Count("factors", distinct=True))
    return render(request, "factors/study_list.html", {"studies": studies})


@never_cache
@login_required
def study_detail(request, key: str):
    study = get_object_or_404(Study, key=key)
    evidence = Evidence.objects.filter(study=study).select_related("factor")
    return render(request, "factors/study_detail.html", {"study": study, "evidence": evidence})


@never_cache
@login_required
def about(request):
    review = Review.objects.first()
    counts = {
        (row["level"], row["role"]): row["n"]
        for row in Factor.objects.filter(source="review")
        .values("level", "role")
        .annotate(n=Count("id"))
        .order_by()
    }
    table = [
        (level, [counts.get((level.value, role.value), 0) for role in Role]) for level in Level
    ]
    totals = [sum(counts.get((lv, role.value), 0) for lv in Level.values) for role in Role]
    return render(
        request,
        "factors/about.html",
        {
            "review": review,
            "models": TheoreticalModel.objects.all(),
            "roles": list(Role),
            "table": table,
            "totals": totals,
            "n_studies": Study.objects.filter(source="review").count(),
            "local_factors": Factor.objects.filter(source="local").count(),
            "local_studies": Study.objects.filter(source="local").count(),
        },
    )
