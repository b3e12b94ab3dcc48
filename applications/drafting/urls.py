from __future__ import annotations

from django.urls import path

from applications.drafting import views

# Included into applications/urls.py, so the names are "applications:letter", ...
urlpatterns = [
    path("<int:pk>/letter/", views.letter, name="letter"),
    path("<int:pk>/letter/draft/", views.draft, name="letter_draft"),
    path("<int:pk>/letter/edit/", views.edit, name="letter_edit"),
    path("<int:pk>/letter/diff/", views.diff, name="letter_diff"),
    path("<int:pk>/letter/drafts/<int:generation_pk>/", views.progress, name="letter_progress"),
    path("<int:pk>/letter/drafts/<int:generation_pk>/stream/", views.stream, name="letter_stream"),
    path("<int:pk>/letter/drafts/<int:generation_pk>/cancel/", views.cancel, name="letter_cancel"),
    path("<int:pk>/letter/versions/<int:version_pk>/regenerate/", views.regenerate, name="letter_regenerate"),
    path("<int:pk>/letter/versions/<int:version_pk>/send/", views.send, name="letter_send"),
    path("<int:pk>/letter/sent/<int:sent_pk>/pdf/", views.sent_pdf, name="letter_sent_pdf"),
]
