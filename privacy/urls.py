from __future__ import annotations

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("export/", views.export, name="export"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
