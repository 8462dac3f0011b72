from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AddressMatch, PetitionsFormula


@admin.register(PetitionsFormula)
class PetitionsFormulaAdmin(SimpleHistoryAdmin):
    list_display = ("year", "start", "threshold", "k1", "k2", "k3")


@admin.register(AddressMatch)
class AddressMatchAdmin(SimpleHistoryAdmin):
    list_display = ("address", "compound", "matched_by", "matched_at")
    raw_id_fields = ("compound",)
