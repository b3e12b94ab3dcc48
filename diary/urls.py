from __future__ import annotations

from django.urls import path

from diary import views

app_name = "diary"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/delete/", views.delete, name="delete"),
]
