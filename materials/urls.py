from __future__ import annotations

from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("", views.material_list, name="list"),
    path("new/", views.material_add, name="add"),
    path("linkedin/", views.linkedin_import, name="linkedin_import"),
    path("<id:pk>/linkedin/", views.linkedin_reimport, name="linkedin_reimport"),
    path("<id:pk>/linkedin/choose/", views.linkedin_choose, name="linkedin_choose"),
    path("<id:pk>/", views.material_detail, name="detail"),
    path("<id:pk>/edit/", views.material_edit, name="edit"),
    path("<id:pk>/search/stream/", views.search_stream, name="search_stream"),
    path("<id:pk>/search/retry/", views.search_retry, name="search_retry"),
    path("<id:pk>/download/", views.material_download, name="download"),
    path("<id:pk>/primary/", views.material_primary, name="primary"),
    path("<id:pk>/delete/", views.material_delete, name="delete"),
]
