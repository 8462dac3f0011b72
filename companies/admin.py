from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Compound, Firm, Management


@admin.register(Firm)
class FirmAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "legal_representative", "phone")
    search_fields = ("name", "credit_code")


class ManagementInline(admin.TabularInline):
    model = Management
    extra = 0
    raw_id_fields = ("firm",)
    # Management periods change through compound_change_firm, which keeps Compound.firm in step.
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Compound)
class CompoundAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "community", "firm", "households", "red_heart_year")
    list_filter = ("has_owners_committee", "has_party_org")
    list_select_related = ("community", "firm")
    search_fields = ("code", "name", "firm__name")
    raw_id_fields = ("firm", "community")
    readonly_fields = ("firm",)
    inlines = [ManagementInline]
