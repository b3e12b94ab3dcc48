from __future__ import annotations

from django.urls import path

from coach import views

app_name = "coach"
urlpatterns = [
    path("ai-activity/", views.ai_activity, name="ai_activity"),
    path("ai-activity/<id:pk>/", views.ai_trace, name="ai_trace"),
]
