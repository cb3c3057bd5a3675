from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Clients and assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from assessments import signals  # noqa: F401
        from assessments.plans import signals as plan_signals  # noqa: F401
        from assessments.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
