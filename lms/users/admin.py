"""The admin site writes accounts through the same services as the API (token revocation, cache)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserCreationForm
from django.http import HttpRequest
from rest_framework_simplejwt.token_blacklist.admin import OutstandingTokenAdmin as JwtOutstandingTokenAdmin
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from lms.users.models import User
from lms.users.services import user_create, user_set_password, user_update

UPDATABLE = ("username", "email", "first_name", "last_name", "role", "is_active")


class UserCreateForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role")


class PasswordResetForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        usable = self.cleaned_data.get("usable_password", "true") != "false"
        return user_set_password(user=self.user, password=self.cleaned_data["password1"] if usable else None)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreateForm
    change_password_form = PasswordResetForm
    list_display = ("id", "username", "email", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email")
    ordering = ("id",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "role", "password1", "password2")}),
    )
    filter_horizontal = ()
    actions = None  # no bulk delete: accounts are deactivated, so their history stays

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = ("last_login", "date_joined")
        if obj is not None and obj.pk == request.user.pk:
            fields += ("role", "is_active")  # an admin cannot demote or deactivate themselves
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            changed = {f: form.cleaned_data[f] for f in form.changed_data if f in UPDATABLE}
            user = user_update(user=obj, actor=request.user, **changed)
        else:
            user = user_create(
                username=obj.username,
                email=obj.email,
                role=obj.role,
                password=form.cleaned_data["password1"],
                created_by=request.user,
            )
        obj.__dict__.update(user.__dict__)  # the admin goes on with the saved object (its pk)


admin.site.unregister(OutstandingToken)


@admin.register(OutstandingToken)
class OutstandingTokenAdmin(JwtOutstandingTokenAdmin):
    """Who holds which refresh token (jti), never the token itself: with it one could act as them."""

    exclude = ("token",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["jti", "user", "created_at", "expires_at"]
