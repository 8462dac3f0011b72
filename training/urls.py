from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_create, name="session_create"),
    path("missing/", views.missing, name="missing"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/firms/", views.firm_add, name="firm_add"),
    path("<int:pk>/firms/<int:firm_pk>/remove/", views.firm_remove, name="firm_remove"),
]
