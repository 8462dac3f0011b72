from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    # Public, stable addresses.
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    # Accounts and ledgers.
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/deposit/", views.account_deposit, name="account_deposit"),
    path("accounts/<int:pk>/interest/", views.account_interest, name="account_interest"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("postings/<int:pk>/reverse/", views.posting_reverse, name="posting_reverse"),
    # Emergency use.
    path("emergency/", views.emergency_list, name="emergency_list"),
    path("emergency/new/", views.emergency_create, name="emergency_create"),
    path("emergency/<int:pk>/", views.emergency_detail, name="emergency_detail"),
    path("emergency/<int:pk>/<slug:action>/", views.emergency_action, name="emergency_action"),
    # Ordinary use.
    path("ordinary/", views.ordinary_list, name="ordinary_list"),
    path("ordinary/new/", views.ordinary_create, name="ordinary_create"),
    path("ordinary/<int:pk>/", views.ordinary_detail, name="ordinary_detail"),
    path("ordinary/<int:pk>/<slug:action>/", views.ordinary_action, name="ordinary_action"),
]
