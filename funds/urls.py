from django.urls import path

from .views import accounts, emergency, ordinary, plans, public

app_name = "funds"

urlpatterns = [
    # Public, stable addresses.
    path("notices/", public.notice_list, name="notice_list"),
    path("notices/<int:pk>/", public.notice_detail, name="notice_detail"),
    path("compounds/<str:code>/", public.compound_public, name="compound_public"),
    # Accounts and ledgers.
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/deposit/", accounts.account_deposit, name="account_deposit"),
    path("accounts/<int:pk>/interest/", accounts.account_interest, name="account_interest"),
    path("accounts/<int:pk>/import/", accounts.household_import, name="household_import"),
    path("households/<int:pk>/", accounts.household_detail, name="household_detail"),
    path("postings/<int:pk>/reverse/", accounts.posting_reverse, name="posting_reverse"),
    # Emergency use.
    path("emergency/", emergency.emergency_list, name="emergency_list"),
    path("emergency/new/", emergency.emergency_create, name="emergency_create"),
    path("emergency/<int:pk>/", emergency.emergency_detail, name="emergency_detail"),
    path("emergency/<int:pk>/<slug:action>/", emergency.emergency_action, name="emergency_action"),
    # Ordinary use.
    path("ordinary/", ordinary.ordinary_list, name="ordinary_list"),
    path("ordinary/new/", ordinary.ordinary_create, name="ordinary_create"),
    path("ordinary/<int:pk>/", ordinary.ordinary_detail, name="ordinary_detail"),
    path("ordinary/<int:pk>/<slug:action>/", ordinary.ordinary_action, name="ordinary_action"),
    # Maintenance plans.
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/overdue/", plans.plan_overdue, name="plan_overdue"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/<slug:action>/", plans.plan_action, name="plan_action"),
    path(
        "plan-items/<int:pk>/<slug:action>/",
        plans.plan_item_action,
        name="plan_item_action",
    ),
]
