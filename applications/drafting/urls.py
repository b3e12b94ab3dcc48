from __future__ import annotations

from django.urls import path

from applications.drafting import views

# Included into applications/urls.py, so the names are "applications:letter", ...
urlpatterns = [
    path("<id:pk>/letter/", views.letter, name="letter"),
    path("<id:pk>/letter/draft/", views.draft, name="letter_draft"),
    path("<id:pk>/letter/edit/", views.edit, name="letter_edit"),
    path("<id:pk>/letter/diff/", views.diff, name="letter_diff"),
    path("<id:pk>/letter/drafts/<id:generation_pk>/", views.progress, name="letter_progress"),
    path("<id:pk>/letter/drafts/<id:generation_pk>/stream/", views.stream, name="letter_stream"),
    path("<id:pk>/letter/drafts/<id:generation_pk>/cancel/", views.cancel, name="letter_cancel"),
    path("<id:pk>/letter/versions/<id:version_pk>/regenerate/", views.regenerate, name="letter_regenerate"),
    path("<id:pk>/letter/versions/<id:version_pk>/send/", views.send, name="letter_send"),
    path("<id:pk>/letter/sent/<id:sent_pk>/pdf/", views.sent_pdf, name="letter_sent_pdf"),
]
