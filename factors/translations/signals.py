"""Cached translations are dropped when a translation, the catalogue text they
translate or a review status changes; the shipped files load after migrate."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_migrate, post_save

from factors import models as catalogue
from factors.translations import models as m
from factors.translations.services import forget

WATCHED = (
    m.FactorTranslation,
    m.StudyTranslation,
    m.EvidenceTranslation,
    m.TheoreticalModelTranslation,
    m.LanguageReview,
    catalogue.Factor,
    catalogue.Study,
    catalogue.Evidence,
    catalogue.TheoreticalModel,
)


def load_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    if using != DEFAULT_DB_ALIAS or sender.name != "factors":
        return
    try:
        if apps is not None:
            apps.get_model("factors", "EvidenceTranslation")  # not migrated that far: skip
    except LookupError:
        return
    from factors.translations.loader import load_shipped

    load_shipped()


def connect(app_config) -> None:
    for model in WATCHED:
        post_save.connect(forget, sender=model, dispatch_uid=f"translations-{model.__name__}-save")
        post_delete.connect(
            forget, sender=model, dispatch_uid=f"translations-{model.__name__}-delete"
        )
    post_migrate.connect(load_after_migrate, sender=app_config, dispatch_uid="translations-load")
