from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "lms.reviews"
    label = "reviews"
