from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework_simplejwt.views import TokenRefreshView

from lms.users import apis

router = SimpleRouter()
router.register("", apis.UserViewSet, basename="user")

urlpatterns = [
    path("register/", apis.RegisterApi.as_view(), name="register"),
    path("login/", apis.LoginApi.as_view(), name="login"),
    path("token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("logout/", apis.LogoutApi.as_view(), name="logout"),
    # The web app's: the refresh token in an httpOnly cookie (lms/users/cookies.py).
    path("cookie/login/", apis.CookieLoginApi.as_view(), name="cookie-login"),
    path("cookie/refresh/", apis.CookieRefreshApi.as_view(), name="cookie-refresh"),
    path("cookie/logout/", apis.CookieLogoutApi.as_view(), name="cookie-logout"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("me/password/", apis.PasswordChangeApi.as_view(), name="password-change"),
    *router.urls,
]
