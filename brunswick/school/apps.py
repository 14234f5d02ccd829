from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "brunswick.school"
    label = "school"
