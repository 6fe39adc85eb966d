from lms.core.throttling import UserRateThrottle


class ReviewRateThrottle(UserRateThrottle):
    """Review posting, per user (THROTTLE_REVIEWS_RATE): on top of the general user rate."""

    scope = "reviews"
