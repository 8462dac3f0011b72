from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/handle/", views.case_handle, name="case_handle"),
    path("<int:pk>/whistle/", views.case_whistle, name="case_whistle"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/confirm/", views.case_confirm, name="case_confirm"),
    path("<int:pk>/credit/", views.case_credit, name="case_credit"),
    path("dispatches/<int:pk>/report/", views.dispatch_report, name="dispatch_report"),
]
