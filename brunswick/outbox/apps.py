from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "brunswick.outbox"
    label = "outbox"
