from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("algorithm/", views.algorithm, name="algorithm"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/draw/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/candidates.json", views.plan_document, name="plan_document"),
    path("plans/<int:pk>/rerun/", views.plan_rerun, name="plan_rerun"),
    path("checks/", views.check_list, name="check_list"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/record/", views.check_record, name="check_record"),
    path("checks/<int:pk>/rectify/", views.check_rectify, name="check_rectify"),
    path("checks/<int:pk>/answer/", views.check_answer, name="check_answer"),
    path("checks/<int:pk>/accept/", views.check_accept, name="check_accept"),
    path("checks/<int:pk>/send-back/", views.check_send_back, name="check_send_back"),
    path("checks/<int:pk>/deduct/", views.check_deduct, name="check_deduct"),
]
