"""The portal's URL map: public pages at stable addresses, the rest behind sign-in."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import files, forms, pickers, views

portal_patterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/mfa-reset/", views.user_mfa_reset, name="user_mfa_reset"),
    path("accounts/mfa/", views.mfa_setup, name="mfa_setup"),
    path("accounts/mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/codes/", views.mfa_codes_renew, name="mfa_codes_renew"),
    path("accounts/mfa/remove/", views.mfa_remove, name="mfa_remove"),
    path("files/<slug:kind>/<int:pk>/", files.download, name="file"),
    path("pick/<slug:kind>/", pickers.pick, name="pick"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=forms.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/dashboard/"),
        name="password_change",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("companies.urls")),
    path("credit/", include("credit.urls")),
    path("funds/", include("funds.urls")),
    path("proposals/", include("proposals.urls")),
    path("supervision/", include("supervision.urls")),
    path("cases/", include("cases.urls")),
    path("demonstrations/", include("demonstrations.urls")),
    path("complaints/", include("complaints.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
]
