from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "factors"
    verbose_name = "Evidence catalogue"

    def ready(self) -> None:
        from factors.translations import signals

        signals.connect(self)
