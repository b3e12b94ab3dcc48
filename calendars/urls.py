from __future__ import annotations

from django.urls import path

from calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.index, name="index"),
    path("connect/caldav/", views.connect_caldav, name="connect_caldav"),
    path("connect/ics/", views.connect_ics, name="connect_ics"),
    path("<id:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("<id:pk>/sync/", views.sync_now, name="sync"),
    path("events/<id:pk>/link/", views.link, name="link"),
    path("events/<id:pk>/unlink/", views.unlink, name="unlink"),
    path("replies/<id:pk>/add/", views.add_interview, name="add_interview"),
    path("replies/<id:pk>/download/", views.download_interview, name="download_interview"),
    path("feed/", views.make_feed, name="make_feed"),
    path("feed/revoke/", views.revoke_feed, name="revoke_feed"),
    path("feed/<str:token>.ics", views.feed_view, name="feed"),
]
