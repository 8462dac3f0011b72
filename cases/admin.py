from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, Category, Dispatch


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("name", "code")


class DispatchInline(admin.TabularInline):
    model = Dispatch
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Dispatch._meta.fields]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read-only: cases move only through their services, which record who did what."""

    list_display = ("pk", "compound", "category", "urgency", "state", "raised_at")
    list_filter = ("state", "urgency", "category")
    search_fields = ("compound__name", "compound__code", "description")
    list_select_related = ("compound", "category")
    inlines = [DispatchInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
