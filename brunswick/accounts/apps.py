from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "brunswick.accounts"
    label = "accounts"
