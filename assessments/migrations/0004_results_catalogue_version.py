"""Completed assessments keep what they showed: each is pinned to a catalogue
version. Those completed before versions existed are pinned to the baseline
version factors 0005 records."""

import django.db.models.deletion
from django.db import migrations, models


def pin_completed_to_baseline(apps, schema_editor):
    CatalogueVersion = apps.get_model("factors", "CatalogueVersion")
    Assessment = apps.get_model("assessments", "Assessment")
    baseline = CatalogueVersion.objects.order_by("number").first()
    if baseline is not None:
        Assessment.objects.filter(status="completed", catalogue_version=None).update(
            catalogue_version=baseline
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessment_quarter"),
        ("factors", "0006_results_catalogue_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="catalogue_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="factors.catalogueversion",
            ),
        ),
        migrations.RunPython(pin_completed_to_baseline, migrations.RunPython.noop),
    ]
