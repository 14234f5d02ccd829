from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "brunswick.audit"
    label = "audit"
