from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from . import notifications  # noqa: F401  (registers the outbox composers)
