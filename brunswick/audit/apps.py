from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "brunswick.audit"
    label = "audit"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (connects the receivers)
        from .privileges import grant_after_migrate

        # Once per `migrate` (sent for this app after every migration has been applied).
        post_migrate.connect(grant_after_migrate, sender=self)
