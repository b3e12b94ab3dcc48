from __future__ import annotations

from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.start, name="start"),
    path("security/", views.security, name="security"),
    path("sub-processors/", views.subprocessors, name="subprocessors"),
    path("privacy/", views.privacy_policy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("changelog/", views.changelog, name="changelog"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
