"""The Celery app. Tasks are thin: they take an id, load it, and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brunswick.settings")

app = Celery("brunswick")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
