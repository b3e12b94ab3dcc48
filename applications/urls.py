from __future__ import annotations

from django.urls import path

from applications import views
from applications.drafting import urls as letter_urls

app_name = "applications"
urlpatterns = [
    path("", views.board, name="board"),
    path("table/", views.table, name="table"),
    path("new/", views.add, name="add"),
    path("imports/<id:pk>/", views.posting_import, name="import"),
    path("imports/<id:pk>/stream/", views.import_stream, name="import_stream"),
    path("imports/<id:pk>/retry/", views.import_retry, name="import_retry"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/status/", views.change_status, name="status"),
    path("<id:pk>/notes/", views.notes, name="notes"),
    path("<id:pk>/rescore/", views.rescore, name="rescore"),
    path("<id:pk>/score/stream/", views.score_stream, name="score_stream"),
    path("<id:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("<id:pk>/replies/", views.add_reply, name="add_reply"),
    path("<id:pk>/replies/<id:reply_pk>/confirm/", views.confirm_reply, name="confirm_reply"),
    path("<id:pk>/replies/<id:reply_pk>/delete/", views.delete_reply, name="delete_reply"),
    *letter_urls.urlpatterns,
]
