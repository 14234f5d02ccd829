from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the outbox handlers)
