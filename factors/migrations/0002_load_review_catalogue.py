"""Load the review's catalogue (factors/catalogue/review.json) into a fresh
database, so that `migrate` alone gives a working catalogue."""

from django.db import migrations


def load(apps, schema_editor):
    from factors.catalogue import import_catalogue, load_review_data

    import_catalogue(load_review_data(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("factors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
