from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("rules/", views.rule_set_list, name="rule_set_list"),
    path("rules/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("rules/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("import/assessments/", views.assessment_import, name="assessment_import"),
    path("import/events/", views.credit_event_import, name="credit_event_import"),
]

# --- assessment entry: window, grid, history, progress, credit events ------------------------
from . import views_assessments  # noqa: E402  (one additive block: other pages are added above)

urlpatterns += [
    path("assessments/", views_assessments.window_list, name="window_list"),
    path("assessments/open/", views_assessments.window_open, name="window_open"),
    path("assessments/<int:year>/close/", views_assessments.window_close, name="window_close"),
    path("assessments/<int:year>/", views_assessments.assessment_grid, name="assessment_grid"),
    path(
        "assessments/<int:year>/compounds/<int:pk>/",
        views_assessments.assessment_history,
        name="assessment_history",
    ),
    path("assessments/<int:year>/progress/", views_assessments.progress, name="progress"),
    path(
        "assessments/<int:year>/progress/remind/",
        views_assessments.progress_remind,
        name="progress_remind",
    ),
    path("events/", views_assessments.event_list, name="event_list"),
    path("events/new/", views_assessments.event_create, name="event_create"),
    path("events/<int:pk>/edit/", views_assessments.event_edit, name="event_edit"),
    path("events/<int:pk>/evidence/", views_assessments.event_evidence, name="event_evidence"),
]

# --- publication, objections, versions, notices; the public red and black list --------------
from . import views_publication as pub  # noqa: E402  (one additive block)

urlpatterns += [
    path("publications/", pub.publication_list, name="publication_list"),
    path("publications/new/", pub.publication_create, name="publication_create"),
    path("publications/<int:pk>/", pub.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/publish/", pub.publication_publish, name="publication_publish"),
    path("publications/<int:pk>/run/", pub.publication_set_run, name="publication_set_run"),
    path("publications/<int:pk>/notices/", pub.notices_issue, name="notices_issue"),
    path(
        "publications/<int:pk>/ratings/<int:rating_pk>/object/",
        pub.objection_create,
        name="objection_create",
    ),
    path("objections/<int:pk>/", pub.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/answer/", pub.objection_answer, name="objection_answer"),
    path("objections/files/<int:pk>/", pub.objection_attachment, name="objection_attachment"),
    path("notices/", pub.notice_list, name="notice_list"),
    path("notices/spot-checks/", pub.spot_check_list, name="spot_check_list"),
    path("notices/<int:pk>/", pub.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/respond/", pub.notice_respond, name="notice_respond"),
    path("notices/<int:pk>/close/", pub.notice_close, name="notice_close"),
    path("notices/<int:pk>/file/", pub.notice_file, name="notice_file"),
    path("runs/<int:pk>/export.xlsx", pub.run_export_xlsx, name="run_export_xlsx"),
    # Public, stable addresses.
    path("redblack/", pub.redblack_current, name="redblack"),
    path("redblack/<int:year>/", pub.redblack_year, name="redblack_year"),
    path("redblack/<int:year>/v<int:number>/", pub.redblack_version, name="redblack_version"),
    path("redblack/<int:year>.csv", pub.redblack_csv, name="redblack_csv"),
    path("redblack/<int:year>.json", pub.redblack_json, name="redblack_json"),
    path("redblack/<int:year>/v<int:number>.csv", pub.redblack_csv, name="redblack_version_csv"),
    path("redblack/<int:year>/v<int:number>.json", pub.redblack_json, name="redblack_version_json"),
]
