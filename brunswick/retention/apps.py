from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "brunswick.retention"
    label = "retention"
    verbose_name = "retention"

    def ready(self) -> None:
        from cases.ladder import REOPEN_REFUSALS

        from . import notifications  # noqa: F401  (registers the outbox composer)
        from .holds import purged_case_refusal

        REOPEN_REFUSALS.append(purged_case_refusal)
