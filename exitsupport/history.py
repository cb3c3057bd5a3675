"""simple-history's HistoricalRecords with the history models' names in the
reader's language: simple-history builds them as "historical <name>" from an
untranslated string (and names the history of a many-to-many field after its
class), so the admin's lists of permissions showed them in English."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext
from simple_history import models as history


def _historical(name) -> str:
    return gettext("historical %(name)s") % {"name": name}


def _historical_links(model, field) -> str:
    return gettext("historical %(model)s: %(field)s") % {
        "model": model._meta.verbose_name,
        "field": field.verbose_name,
    }


historical = lazy(_historical, str)
historical_links = lazy(_historical_links, str)


class HistoricalRecords(history.HistoricalRecords):
    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            meta["verbose_name"] = historical(model._meta.verbose_name)
        if not self.user_set_verbose_name_plural:
            meta["verbose_name_plural"] = historical(model._meta.verbose_name_plural)
        return meta

    def get_meta_options_m2m(self, through_model):
        meta = super().get_meta_options_m2m(through_model)
        model = through_model._meta.auto_created or self.cls
        for field in model._meta.many_to_many:
            if field.remote_field.through is through_model:
                meta["verbose_name"] = historical_links(model, field)
        return meta
