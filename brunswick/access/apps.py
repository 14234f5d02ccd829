from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "brunswick.access"
    label = "access"
    verbose_name = "Staff access"

    def ready(self) -> None:
        from . import notifications  # noqa: F401  (registers the outbox composer)
