from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "lms.users"
    label = "users"
