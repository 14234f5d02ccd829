from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_roles_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app with a models module (Django skips the others);
    # every app's permissions exist only after the last of those.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == with_models[-1].label:
        from .roles import roles_ensure

        roles_ensure()


class AccountsConfig(AppConfig):
    name = "brunswick.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

        # A real install gets its roles from `migrate`, not only from the demo data.
        post_migrate.connect(_ensure_roles_after_migrate, dispatch_uid="accounts.roles")
