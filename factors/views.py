from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from factors.models import (
    Action,
    Evidence,
    Factor,
    Level,
    Review,
    Role,
    Study,
    TheoreticalModel,
)
from factors.translations.services import (
    translate_evidence,
    translate_factors,
    translate_models,
    translate_studies,
)

PUBLISHED_COUNTS = {
    "abstract": gettext_lazy("The review's abstract"),
    "discussion": gettext_lazy("The review's Discussion (Figure 2)"),
}
SUPPORTING = Q(evidence__direction=Evidence.Direction.SUPPORTS)


@never_cache
@login_required
def catalogue(request):
    """The catalogue as a level × role grid, like the review's Figure 2, each
    cell in the review's order; the number beside a factor counts the studies
    that support it (not those that qualify it or speak against it)."""
    factors = Factor.objects.in_catalogue_order().annotate(
        n_studies=Count("evidence__study", filter=SUPPORTING, distinct=True)
    )
    cells: dict[tuple[str, str], list[Factor]] = {}
    for factor in translate_factors(factors):
        cells.setdefault((factor.level, factor.role), []).append(factor)
    grid = [
        (level, [(role, cells.get((level.value, role.value), [])) for role in Role])
        for level in Level
    ]
    roles = [
        (
            role,
            sum(
                1
                for level in Level.values
                for factor in cells.get((level, role.value), [])
                if not factor.retired
            ),
        )
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
        Factor.objects.select_related("guidance_updated_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("study"))
        ),
        slug=slug,
    )
    translate_factors([factor])
    translate_evidence(factor.evidence.all())
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
    evidence = (
        Evidence.objects.filter(study=study)
        .select_related("factor")
        .order_by("factor__level_order", "factor__role_order", "factor__position", "position")
    )
    translate_studies([study])
    evidence = list(evidence)
    translate_factors([ev.factor for ev in evidence])
    return render(request, "factors/study_detail.html", {"study": study, "evidence": evidence})


@never_cache
@login_required
def about(request):
    review = Review.objects.first()
    counts = {
        (row["level"], row["role"]): row["n"]
        for row in Factor.objects.filter(source="review", retired=False)
        .values("level", "role")
        .annotate(n=Count("id"))
        .order_by()
    }
    table = [
        (level, [counts.get((level.value, role.value), 0) for role in Role]) for level in Level
    ]
    totals = [sum(counts.get((lv, role.value), 0) for lv in Level.values) for role in Role]
    published = (review.published_counts if review else {}) or {}
    compared = [(_("This catalogue"), totals)] + [
        (PUBLISHED_COUNTS.get(name, name), [counts_row.get(role.value) for role in Role])
        for name, counts_row in published.items()
        if isinstance(counts_row, dict)
    ]
    not_targets = Factor.objects.active().exclude(action=Action.ACTIONABLE).in_catalogue_order()
    return render(
        request,
        "factors/about.html",
        {
            "review": review,
            "models": translate_models(TheoreticalModel.objects.all()),
            "roles": list(Role),
            "table": table,
            "totals": totals,
            "compared": compared,
            "not_targets": translate_factors(not_targets),
            "actions": Action,
            "n_studies": Study.objects.filter(source="review").count(),
            "local_factors": Factor.objects.filter(source="local").count(),
            "local_studies": Study.objects.filter(source="local").count(),
        },
    )
