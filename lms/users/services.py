"""Writes to accounts. Each service validates its business rules and runs in one transaction."""

from __future__ import annotations

from confusable_homoglyphs import confusables
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


def _clean_username(username: str) -> str:
    """The username to store: NFKC-normalized (a full-width "ivan" becomes plain "ivan"), and never
    mixing scripts with look-alike letters ("ivan" with a Cyrillic "a"), so no one passes for another."""
    username = User.normalize_username(username)
    if confusables.is_dangerous(username):
        raise ValidationError(
            {"username": ["Use letters from one script only: this name mixes look-alike letters of several."]}
        )
    return username


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


def _save_unique(user: User, update_fields: list[str] | None = None) -> None:
    """Save, turning a lost race on a unique column into the same 400 a check would give."""
    try:
        with transaction.atomic():
            user.save(update_fields=update_fields)
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
    username = _clean_username(username)
    user = User(username=username, email=email, role=role)
    # Everything else first: whether an address is taken is the last thing a stranger learns.
    _check_password(password, user)
    _check_unique(username=username, email=email)
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
    first_name: str | None = None,
    last_name: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change account fields. Callers decide which fields an actor may pass.

    The row is read afresh and only the fields passed are written: the caller's instance may come
    from the authentication cache. An admin cannot demote or deactivate themselves, so the system
    never loses its last admin by accident.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    role_changed = role is not None and role != user.role
    if actor is not None and actor.pk == user.pk and (role_changed or is_active is False):
        raise Conflict("You cannot change your own role or deactivate yourself.", code="self_change")
    changes = {
        "username": None if username is None else _clean_username(username),
        "email": None if email is None else UserManager.normalize_email(email),
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "is_active": is_active,
    }
    changes = {field: value for field, value in changes.items() if value is not None}
    for field, value in changes.items():
        setattr(user, field, value)
    _check_unique(username=user.username, email=user.email, exclude_pk=user.pk)
    _save_unique(user, update_fields=list(changes))
    user_forget_cached(user=user)
    # Refresh tokens carry the role claim; a changed role must not live on in them.
    if is_active is False or role_changed:
        user_revoke_tokens(user=user)
    return user


@transaction.atomic
def user_change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Set a new password after checking the current one; every refresh token is revoked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(current_password):
        raise ValidationError({"current_password": ["The current password is incorrect."]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    return user_set_password(user=user, password=new_password)


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """Set a validated password (None: no password login at all); every refresh token is revoked."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    User.objects.filter(pk=user.pk).update(password=user.password)
    user_revoke_tokens(user=user)
    user_forget_cached(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    """Deactivate instead of deleting, so payment and enrollment history stays intact."""
    return user_update(user=user, actor=actor, is_active=False)


def user_forget_cached(*, user: User) -> None:
    """Make the next request of this user read its role and active flag from the database.

    Forgotten once the change commits: forgotten earlier, a request racing this transaction
    could cache the old values again.
    """
    user_id = user.pk
    transaction.on_commit(lambda: forget_cached_user(user_id))


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
