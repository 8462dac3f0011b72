from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Division, Proposal, RegisterCounter, RegisterSettings, Reply


@admin.register(Division)
class DivisionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "head", "contact_name", "contact_phone", "is_active"]


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["issuing_organ", "organisation_code", "doc_prefix_cppcc", "doc_prefix_npc"]

    def has_add_permission(self, request) -> bool:
        return not RegisterSettings.objects.exists()


@admin.register(RegisterCounter)
class RegisterCounterAdmin(SimpleHistoryAdmin):
    """Read-only: numbers are issued by sign-off alone."""

    list_display = ["kind", "year", "last"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    """Read-only: proposals move through the services (the staff pages)."""

    list_display = ["session", "number", "title", "state", "lead_division", "reply_due"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reply)
class ReplyAdmin(SimpleHistoryAdmin):
    list_display = ["doc_no", "index_no", "proposal", "written_on", "published_on"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
