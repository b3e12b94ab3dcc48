from __future__ import annotations

from django.urls import path

from privacy_rights import views
from privacy_rights.support import views as support_views

app_name = "privacy"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("support/", support_views.support, name="support"),
    path("support/grant/", support_views.grant, name="support_grant"),
    path("support/<id:pk>/revoke/", support_views.revoke, name="support_revoke"),
    path("export/", views.export, name="export"),
    path("export/<id:pk>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
