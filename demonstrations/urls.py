from django.urls import path

from . import views

app_name = "demonstrations"

urlpatterns = [
    path("", views.public_list, name="public_current"),
    path("<int:year>/", views.public_list, name="public_year"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/community/", views.community_answer, name="community_answer"),
    path("applications/<int:pk>/street/", views.street_answer, name="street_answer"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
]
