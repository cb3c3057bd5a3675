"""A first history record for every catalogue row loaded in 0002.

The catalogue was loaded with bulk writes that simple-history does not see, so
the first admin edit of a review entry had no previous values to compare
with. This records the catalogue as loaded, once.
"""

from django.db import migrations
from django.utils import timezone

MODELS = ("Review", "TheoreticalModel", "Study", "Factor", "Evidence")


def record_baseline(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("factors", name)
        historical = apps.get_model("factors", f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True))
        fields = [
            f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")
        ]
        historical.objects.bulk_create(
            [
                historical(
                    **{field: getattr(obj, field) for field in fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason="Catalogue as loaded",
                )
                for obj in model.objects.exclude(pk__in=recorded)
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("factors", "0002_load_review_catalogue")]

    operations = [migrations.RunPython(record_baseline, migrations.RunPython.noop)]
