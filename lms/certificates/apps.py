from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "lms.certificates"
    label = "certificates"
