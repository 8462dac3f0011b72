from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    # Public, stable addresses.
    path("firms/", views.public_firm_search, name="public_firm_search"),
    path("firms/<str:credit_code>/", views.public_firm_detail, name="public_firm_detail"),
    # The registry, for signed-in users within their scope; writes by bureau staff.
    path("registry/firms/", views.firm_list, name="firm_list"),
    path("registry/firms/new/", views.firm_create, name="firm_create"),
    path("registry/firms/import/", views.firm_import, name="firm_import"),
    path("registry/firms/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("registry/firms/<int:pk>/edit/", views.firm_edit, name="firm_edit"),
    path("registry/compounds/", views.compound_list, name="compound_list"),
    path("registry/compounds/new/", views.compound_create, name="compound_create"),
    path("registry/compounds/import/", views.compound_import, name="compound_import"),
    path("registry/compounds/<int:pk>/", views.compound_detail, name="compound_detail"),
    path("registry/compounds/<int:pk>/edit/", views.compound_edit, name="compound_edit"),
    path(
        "registry/compounds/<int:pk>/change-firm/",
        views.compound_change_firm,
        name="compound_change_firm",
    ),
]
