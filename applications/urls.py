from __future__ import annotations

from django.urls import path

from applications import views
from applications.drafting import urls as letter_urls

app_name = "applications"
urlpatterns = [
    path("", views.board, name="board"),
    path("table/", views.table, name="table"),
    path("new/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/notes/", views.notes, name="notes"),
    path("<int:pk>/rescore/", views.rescore, name="rescore"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/replies/", views.add_reply, name="add_reply"),
    path("<int:pk>/replies/<int:reply_pk>/confirm/", views.confirm_reply, name="confirm_reply"),
    path("<int:pk>/replies/<int:reply_pk>/delete/", views.delete_reply, name="delete_reply"),
    *letter_urls.urlpatterns,
]
