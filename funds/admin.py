"""Read-only admin views: money moves only through funds.services."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    EmergencyApplication,
    Entry,
    FundAccount,
    FundNotice,
    Household,
    MaintenancePlan,
    MaintenancePlanItem,
    OrdinaryApplication,
    Posting,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FundAccount)
class FundAccountAdmin(ReadOnlyAdmin):
    list_display = ["compound", "opened_on"]
    search_fields = ["compound__name", "compound__code"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["account", "building", "unit", "room", "floor_area", "balance"]
    search_fields = ["account__compound__code", "owner_name"]
    list_select_related = ["account__compound"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "account", "kind", "amount", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["account__compound", "created_by"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "household", "kind", "amount", "balance_after", "created_at"]
    list_select_related = ["household"]


@admin.register(EmergencyApplication)
class EmergencyApplicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "compound", "kind", "status", "step_due_at", "escalated_at"]
    list_filter = ["status", "kind"]


@admin.register(OrdinaryApplication)
class OrdinaryApplicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "compound", "status", "budget"]
    list_filter = ["status"]


@admin.register(FundNotice)
class FundNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "compound", "kind", "publicity_start", "publicity_end"]
    list_filter = ["kind"]


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(ReadOnlyAdmin):
    list_display = ["compound", "year", "firm", "status"]
    list_filter = ["status", "year"]
    search_fields = ["compound__name", "compound__code", "firm__name"]
    list_select_related = ["compound", "firm"]


@admin.register(MaintenancePlanItem)
class MaintenancePlanItemAdmin(ReadOnlyAdmin):
    list_display = ["plan", "facility", "planned_month", "estimated_cost", "progress"]
    list_filter = ["progress", "funding_source"]
    list_select_related = ["plan__compound"]
