from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    AssessmentWindow,
    CreditEvent,
    Indicator,
    Rating,
    RatingRun,
    RuleSet,
    RuleWeight,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


class RuleWeightInline(admin.TabularInline):
    model = RuleWeight
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = (
        "year",
        "min_indicators",
        "bonus_cap",
        "threshold_a",
        "threshold_b",
        "threshold_c",
        "frozen_at",
    )
    inlines = [RuleWeightInline]
    readonly_fields = ("frozen_at",)


@admin.register(AssessmentWindow)
class AssessmentWindowAdmin(SimpleHistoryAdmin):
    list_display = ("year", "is_open", "opened_at", "closed_at")


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("year", "compound", "firm", "indicator", "assessor_role", "score")
    list_filter = ("year", "indicator", "assessor_role")
    list_select_related = ("compound", "firm", "indicator")
    raw_id_fields = ("compound", "firm", "entered_by")
    search_fields = ("compound__code", "firm__credit_code", "firm__name")


@admin.register(CreditEvent)
class CreditEventAdmin(SimpleHistoryAdmin):
    list_display = ("year", "firm", "kind", "points", "date", "reason")
    list_filter = ("year", "kind")
    list_select_related = ("firm",)
    raw_id_fields = ("firm", "created_by")
    search_fields = ("firm__credit_code", "firm__name", "reason")


@admin.register(RatingRun)
class RatingRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "year", "status", "done", "total", "started_at", "finished_at")
    list_filter = ("status", "year")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # runs change only through the batch


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("run", "rank", "firm", "score", "grade", "indicators_present", "vetoed")
    list_filter = ("run", "grade", "vetoed")
    list_select_related = ("run", "firm")
    raw_id_fields = ("firm",)
    search_fields = ("firm__credit_code", "firm__name")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
