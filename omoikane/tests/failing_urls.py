"""The site's URLs plus one view that fails, for tests of what a 500 looks like (never the root URLconf)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure for the error-page tests")


urlpatterns = [path("fail/", fail), path("", include("omoikane.urls"))]
