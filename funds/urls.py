from django.urls import path

from . import views, views_plans

app_name = "funds"

urlpatterns = [
    # Public, stable addresses.
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("compounds/<str:code>/", views_plans.compound_public, name="compound_public"),
    # Accounts and ledgers.
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/deposit/", views.account_deposit, name="account_deposit"),
    path("accounts/<int:pk>/interest/", views.account_interest, name="account_interest"),
    path("accounts/<int:pk>/import/", views_plans.household_import, name="household_import"),
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
    # Maintenance plans.
    path("plans/", views_plans.plan_list, name="plan_list"),
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path("plans/overdue/", views_plans.plan_overdue, name="plan_overdue"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/<slug:action>/", views_plans.plan_action, name="plan_action"),
    path(
        "plan-items/<int:pk>/<slug:action>/",
        views_plans.plan_item_action,
        name="plan_item_action",
    ),
]
