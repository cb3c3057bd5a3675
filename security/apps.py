from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security: second factor and refused requests"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from assessments.roles import ensure_roles

        # The roles grant a permission of this app, created after assessments'
        # post_migrate: bring them in step once more when ours has run.
        post_migrate.connect(ensure_roles, sender=self)
