"""The business errors services raise. `exception_handler` maps each class to a status code."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain was broken; the message is safe to show to the client."""

    status_code = 400
    default_detail = "The request could not be processed."
    default_code = "invalid"

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        self.detail = detail or self.default_detail
        self.code = code or self.default_code
        super().__init__(self.detail)


class AuthenticationFailed(ApplicationError):
    status_code = 401
    default_detail = "Incorrect authentication credentials."
    default_code = "authentication_failed"


class PaymentRequired(ApplicationError):
    status_code = 402
    default_detail = "Payment is required."
    default_code = "payment_required"


class Forbidden(ApplicationError):
    status_code = 403
    default_detail = "You do not have permission to perform this action."
    default_code = "permission_denied"


class NotFound(ApplicationError):
    status_code = 404
    default_detail = "Not found."
    default_code = "not_found"


class Conflict(ApplicationError):
    status_code = 409
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class UpstreamError(ApplicationError):
    status_code = 502
    default_detail = "The payment provider returned an error."
    default_code = "upstream_error"


class UpstreamUnavailable(ApplicationError):
    status_code = 503
    default_detail = "The payment provider is unavailable. Try again later."
    default_code = "upstream_unavailable"
