"""Catalogue versions, and a baseline version: the catalogue as it stands when
this migration runs, which existing completed assessments are pinned to
(assessments 0004).

The export is written out here with the historical models, so later changes
to the export code or the models cannot change what this migration records.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


STUDY_FIELDS = (
    "key",
    "source",
    "authors",
    "year",
    "title",
    "venue",
    "reference",
    "cited_as",
    "design",
    "sample_size",
    "population",
    "nationality",
    "setting",
    "route",
    "age_group",
    "details_quote",
    "note",
)
REVIEW_FIELDS = (
    "citation",
    "url",
    "summary",
    "limitations",
    "limitations_quote",
    "counts_decision",
    "citation_decisions",
    "published_counts",
    "caveats",
)
FACTOR_FIELDS = (
    "slug",
    "source",
    "label",
    "level",
    "role",
    "action",
    "description",
    "discussion_quote",
    "guidance",
    "position",
    "retired",
)


def export_as_of_now(apps) -> dict:
    Study, Factor, Evidence = (
        apps.get_model("factors", n) for n in ("Study", "Factor", "Evidence")
    )
    evidence = {}
    for ev in Evidence.objects.select_related("study").order_by("factor_id", "position", "id"):
        evidence.setdefault(ev.factor_id, []).append(ev)
    factors = []
    for factor in Factor.objects.order_by("level_order", "role_order", "position", "label"):
        items = evidence.get(factor.pk, [])
        factors.append(
            {name: getattr(factor, name) for name in FACTOR_FIELDS}
            | {
                "guidance_updated_at": (
                    factor.guidance_updated_at.isoformat() if factor.guidance_updated_at else None
                ),
                "studies": list(dict.fromkeys(ev.study.key for ev in items)),
                "evidence": [
                    {
                        "study": ev.study.key,
                        "direction": ev.direction,
                        "source": ev.source,
                        "quote": ev.quote,
                    }
                    for ev in items
                ],
            }
        )
    studies = [
        {name: getattr(s, name) for name in STUDY_FIELDS} for s in Study.objects.order_by("key")
    ]
    result = {"format": "exitsupport-catalogue/1"}
    review = apps.get_model("factors", "Review").objects.first()
    if review is not None:
        result["review"] = {name: getattr(review, name) for name in REVIEW_FIELDS}
    result["models"] = [
        {name: getattr(m, name) for name in ("name", "authors_year", "summary", "quote")}
        for m in apps.get_model("factors", "TheoreticalModel").objects.order_by("position", "name")
    ]
    return result | {"factors": factors, "studies": studies}


def record_baseline(apps, schema_editor):
    from factors.versions import FACTOR_ROW_FIELDS, annotate

    Factor = apps.get_model("factors", "Factor")
    CatalogueVersion = apps.get_model("factors", "CatalogueVersion")
    if not Factor.objects.exists() or CatalogueVersion.objects.exists():
        return
    rows = list(Factor.objects.values(*FACTOR_ROW_FIELDS))
    CatalogueVersion.objects.create(
        number=1,
        reason="Baseline: the catalogue when versions were introduced. Assessments completed "
        "before then are pinned to it.",
        snapshot=annotate(export_as_of_now(apps), rows),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("factors", "0005_catalogue_review_decisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "reason",
                    models.TextField(
                        help_text="What changed and why, for the people reading it.",
                        verbose_name="why",
                    ),
                ),
                ("snapshot", models.JSONField()),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-number"],
                "get_latest_by": "number",
            },
        ),
        migrations.RunPython(record_baseline, migrations.RunPython.noop),
    ]
