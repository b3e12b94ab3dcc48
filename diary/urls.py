from __future__ import annotations

from django.urls import path

from diary import views, views_insights

app_name = "diary"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/delete/", views.delete, name="delete"),
    path("insights/", views_insights.insights_page, name="insights"),
    path("insights/weekly-review/", views_insights.weekly_review, name="weekly_review"),
    path("approaches/add/", views_insights.add_approach, name="add_approach"),
    path("approaches/<id:pk>/", views_insights.approach, name="approach"),
    path("approaches/<id:pk>/tag/", views_insights.tag, name="tag"),
    path("approaches/<id:pk>/delete/", views_insights.delete_approach, name="delete_approach"),
    path("approaches/uses/<id:pk>/delete/", views_insights.untag, name="untag"),
]
