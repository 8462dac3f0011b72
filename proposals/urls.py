from django.urls import path, re_path

from . import views

app_name = "proposals"

urlpatterns = [
    # Public disclosure column (政府信息公开): stable addresses by index year and sequence.
    path("replies/", views.public_reply_list, name="public_reply_list"),
    re_path(
        r"^replies/(?P<year>\d{4})-(?P<seq>\d{5})/$",
        views.public_reply_detail,
        name="public_reply_detail",
    ),
    re_path(
        r"^replies/(?P<year>\d{4})-(?P<seq>\d{5})\.pdf$",
        views.public_reply_pdf,
        name="public_reply_pdf",
    ),
    # Bureau staff.
    path("", views.proposal_list, name="proposal_list"),
    path("new/", views.proposal_create, name="proposal_create"),
    path("import/", views.proposal_import, name="proposal_import"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/assign/", views.proposal_assign, name="proposal_assign"),
    path("<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("<int:pk>/extend/", views.proposal_extend, name="proposal_extend"),
    path("<int:pk>/co-input/<int:co_pk>/", views.co_input, name="co_input"),
    path("<int:pk>/feedback/", views.feedback_record, name="feedback_record"),
    path("<int:pk>/close/", views.proposal_close, name="proposal_close"),
    path("<int:pk>/reply/start/", views.reply_start, name="reply_start"),
    path("<int:pk>/reply/", views.reply_edit, name="reply_edit"),
    path("<int:pk>/reply/submit/", views.reply_submit, name="reply_submit"),
    path("<int:pk>/reply/send-back/", views.reply_send_back, name="reply_send_back"),
    path("<int:pk>/reply/sign-off/", views.reply_sign_off, name="reply_sign_off"),
    path("<int:pk>/reply/publish/", views.reply_publish, name="reply_publish"),
    path("<int:pk>/reply/print/", views.reply_print, name="reply_print"),
    path("<int:pk>/reply/pdf/", views.reply_pdf, name="reply_pdf"),
]
