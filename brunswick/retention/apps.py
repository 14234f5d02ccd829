from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "brunswick.retention"
    label = "retention"
    verbose_name = "retention"
