from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from . import reminders  # noqa: F401  (registers the reminder e-mail with the outbox)
