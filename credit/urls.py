from django.urls import path

from .views import (
    assessments,
    certificates,
    declarations,
    notices,
    publication,
    redblack,
    repair,
    rule_sets,
    runs,
)

app_name = "credit"

urlpatterns = [
    path("rules/", rule_sets.rule_set_list, name="rule_set_list"),
    path("rules/copy/", rule_sets.rule_set_copy, name="rule_set_copy"),
    path("rules/<int:pk>/edit/", rule_sets.rule_set_edit, name="rule_set_edit"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", runs.run_progress, name="run_progress"),
    path("runs/<int:pk>/resume/", runs.run_resume, name="run_resume"),
    path("ratings/<int:pk>/", runs.rating_detail, name="rating_detail"),
    path("import/assessments/", assessments.assessment_import, name="assessment_import"),
    path("import/events/", assessments.credit_event_import, name="credit_event_import"),
]

# --- assessment entry: window, grid, history, progress, credit events ------------------------
urlpatterns += [
    path("assessments/", assessments.window_list, name="window_list"),
    path("assessments/open/", assessments.window_open, name="window_open"),
    path("assessments/<int:year>/close/", assessments.window_close, name="window_close"),
    path("assessments/<int:year>/", assessments.assessment_grid, name="assessment_grid"),
    path(
        "assessments/<int:year>/compounds/<int:pk>/",
        assessments.assessment_history,
        name="assessment_history",
    ),
    path("assessments/<int:year>/progress/", assessments.progress, name="progress"),
    path(
        "assessments/<int:year>/progress/remind/",
        assessments.progress_remind,
        name="progress_remind",
    ),
    path("events/", assessments.event_list, name="event_list"),
    path("events/new/", assessments.event_create, name="event_create"),
    path("events/<int:pk>/edit/", assessments.event_edit, name="event_edit"),
]

# --- publication, objections, versions, notices; the public red and black list --------------
urlpatterns += [
    path("publications/", publication.publication_list, name="publication_list"),
    path("publications/new/", publication.publication_create, name="publication_create"),
    path("publications/<int:pk>/", publication.publication_detail, name="publication_detail"),
    path(
        "publications/<int:pk>/publish/",
        publication.publication_publish,
        name="publication_publish",
    ),
    path("publications/<int:pk>/run/", publication.publication_set_run, name="publication_set_run"),
    path("publications/<int:pk>/notices/", publication.notices_issue, name="notices_issue"),
    path(
        "publications/<int:pk>/ratings/<int:rating_pk>/object/",
        publication.objection_create,
        name="objection_create",
    ),
    path("objections/<int:pk>/", publication.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/answer/", publication.objection_answer, name="objection_answer"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/spot-checks/", publication.spot_check_list, name="spot_check_list"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/respond/", notices.notice_respond, name="notice_respond"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/delegate/", notices.notice_delegate, name="notice_delegate"),
    path("notices/<int:pk>/reinspect/", notices.notice_reinspect, name="notice_reinspect"),
    path("notices/<int:pk>/close/", notices.notice_close, name="notice_close"),
    path("notices/<int:pk>/summons/", notices.summons_create, name="summons_create"),
    path("summonses/<int:pk>/minutes/", notices.summons_minutes, name="summons_minutes"),
    path(
        "notices/<int:pk>/key-supervision/",
        notices.key_supervision_add,
        name="key_supervision_add",
    ),
    path("notices/<int:pk>/deduct/", notices.notice_deduct, name="notice_deduct"),
    path(
        "commendations/<int:year>/policy/",
        notices.commendation_policy_edit,
        name="commendation_policy",
    ),
    # Public: the key-supervision list and the commended firms.
    path("key-supervision/", notices.key_supervision_list, name="key_supervision"),
    path("commendations/", notices.commendation_list, name="commendations"),
    path("commendations/<int:year>/", notices.commendation_list, name="commendation_year"),
    path("runs/<int:pk>/export.xlsx", publication.run_export_xlsx, name="run_export_xlsx"),
    # Public, stable addresses.
    path("redblack/", redblack.redblack_current, name="redblack"),
    path("redblack/<int:year>/", redblack.redblack_year, name="redblack_year"),
    path("redblack/<int:year>/v<int:number>/", redblack.redblack_version, name="redblack_version"),
    path("redblack/<int:year>.csv", redblack.redblack_csv, name="redblack_csv"),
    path("redblack/<int:year>.json", redblack.redblack_json, name="redblack_json"),
    path(
        "redblack/<int:year>/v<int:number>.csv", redblack.redblack_csv, name="redblack_version_csv"
    ),
    path(
        "redblack/<int:year>/v<int:number>.json",
        redblack.redblack_json,
        name="redblack_version_json",
    ),
]

# --- credit certificates; their public verification page --------------------------------------
urlpatterns += [
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("certificates/issue/", certificates.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/revoke/",
        certificates.certificate_revoke,
        name="certificate_revoke",
    ),
    # Public, stable addresses: printed on the certificates.
    path("verify/", certificates.certificate_verify_form, name="certificate_verify_form"),
    path("verify/<str:code>/", certificates.certificate_verify, name="certificate_verify"),
]

# --- credit repair (信用修复); the working-day calendar its deadlines are counted on ---------
urlpatterns += [
    path("repairs/", repair.repair_list, name="repair_list"),
    path("repairs/apply/", repair.repair_apply, name="repair_apply"),
    path("repairs/<int:pk>/", repair.repair_detail, name="repair_detail"),
    path("repairs/<int:pk>/approve/", repair.repair_approve, name="repair_approve"),
    path("repairs/<int:pk>/refuse/", repair.repair_refuse, name="repair_refuse"),
    path("calendar/", repair.calendar_list, name="calendar_list"),
    path("calendar/<int:pk>/delete/", repair.calendar_delete, name="calendar_delete"),
]

# --- good-conduct declarations (良好行为申报); a firm's own credit events --------------------
urlpatterns += [
    path("declarations/", declarations.declaration_list, name="declaration_list"),
    path("declarations/new/", declarations.declaration_create, name="declaration_create"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path(
        "declarations/<int:pk>/accept/",
        declarations.declaration_accept,
        name="declaration_accept",
    ),
    path(
        "declarations/<int:pk>/refuse/",
        declarations.declaration_refuse,
        name="declaration_refuse",
    ),
    path("events/mine/", declarations.own_event_list, name="own_event_list"),
]
