from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_roles_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app; every app's permissions exist only after the last.
    if sender.label == list(apps.get_app_configs())[-1].label:
        from .roles import roles_ensure

        roles_ensure()


class AccountsConfig(AppConfig):
    name = "brunswick.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

        # A real install gets its roles from `migrate`, not only from the demo data.
        post_migrate.connect(_ensure_roles_after_migrate, dispatch_uid="accounts.roles")
