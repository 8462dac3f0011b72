from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Community, Department, District, Street, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = (
        "username",
        "full_name",
        "role",
        "street",
        "community",
        "firm",
        "department",
        "is_active",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    list_select_related = ("street", "community", "firm", "department")
    raw_id_fields = ("firm", "compound")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "full_name",
                    "phone",
                    "street",
                    "community",
                    "firm",
                    "compound",
                    "department",
                )
            },
        ),
    )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ("name", "district")
    list_filter = ("district",)
    search_fields = ("name",)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "street")
    list_select_related = ("street",)
    search_fields = ("name", "street__name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("name", "code")
