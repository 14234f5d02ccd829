from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"

    def ready(self):
        from cases.selectors import TIMELINE_SOURCES

        from . import jobs  # noqa: F401  (registers the outbox handlers)
        from .timeline import LETTERS

        # A case's timeline and a person's chronology show their letters.
        if LETTERS not in TIMELINE_SOURCES:
            TIMELINE_SOURCES.append(LETTERS)
