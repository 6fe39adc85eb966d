"""Writes to accounts. Each service validates its business rules and runs in one transaction."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from lms.core.exceptions import AuthenticationFailed, Conflict
from lms.users.authentication import forget_cached_user
from lms.users.models import Role, User, UserManager

LOGIN_FAILED = "No active account found with the given credentials."


def _check_unique(*, username: str, email: str, exclude_pk: int | None = None) -> None:
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    errors: dict[str, list[str]] = {}
    if others.filter(username__iexact=username).exists():
        errors["username"] = ["A user with that username already exists."]
    if others.filter(email=email).exists():
        errors["email"] = ["A user with that email already exists."]
    if errors:
        raise ValidationError(errors)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _save_unique(user: User) -> None:
    """Save, turning a lost race on a unique column into the same 400 a check would give."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        _check_unique(username=user.username, email=user.email, exclude_pk=user.pk)
        raise ValidationError({"non_field_errors": ["This account conflicts with another one."]}) from exc


@transaction.atomic
def user_create(
    *, username: str, email: str, password: str, role: str = Role.STUDENT, created_by: User | None = None
) -> User:
    """Create an account; only an authenticated admin may create another admin."""
    if role == Role.ADMIN and not (created_by is not None and created_by.is_admin):
        raise ValidationError({"role": ["Only an admin can create an admin account."]})
    email = UserManager.normalize_email(email)
    _check_unique(username=username, email=email)
    user = User(username=username, email=email, role=role)
    _check_password(password, user)
    user.set_password(password)
    _save_unique(user)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: User | None = None,
    username: str | None = None,
    email: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change account fields. Callers decide which fields an actor may pass.

    An admin cannot demote or deactivate themselves, so the system never loses its last admin
    by accident.
    """
    role_changed = role is not None and role != user.role
    if actor is not None and actor.pk == user.pk and (role_changed or is_active is False):
        raise Conflict("You cannot change your own role or deactivate yourself.", code="self_change")
    if username is not None:
        user.username = username
    if email is not None:
        user.email = UserManager.normalize_email(email)
    if role is not None:
        user.role = role
    if is_active is not None:
        user.is_active = is_active
    _check_unique(username=user.username, email=user.email, exclude_pk=user.pk)
    _save_unique(user)
    user_forget_cached(user=user)
    # Refresh tokens carry the role claim; a changed role must not live on in them.
    if is_active is False or role_changed:
        user_revoke_tokens(user=user)
    return user


@transaction.atomic
def user_change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Set a new password after checking the current one; every refresh token is revoked."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": ["The current password is incorrect."]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_revoke_tokens(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    """Deactivate instead of deleting, so payment and enrollment history stays intact."""
    return user_update(user=user, actor=actor, is_active=False)


def user_forget_cached(*, user: User) -> None:
    """Make the next request of this user read its role and active flag from the database.

    Forgotten now and again after commit, so a request racing this transaction cannot keep the
    old values cached.
    """
    forget_cached_user(user.pk)
    transaction.on_commit(lambda: forget_cached_user(user.pk))


def user_revoke_tokens(*, user: User) -> None:
    """Blacklist every outstanding refresh token of the user."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def user_tokens(*, user: User) -> dict[str, str]:
    """A refresh/access pair carrying the user id and role."""
    refresh = RefreshToken.for_user(user)
    refresh["role"] = user.role
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


def user_login(*, email: str, password: str) -> dict[str, str]:
    """Check credentials; one generic error whether the address, password or account is wrong."""
    user = authenticate(email=email, password=password)
    if user is None:
        raise AuthenticationFailed(LOGIN_FAILED, code="no_active_account")
    return user_tokens(user=user)
