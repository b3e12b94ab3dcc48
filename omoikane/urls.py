from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from omoikane.allauth_urls import allauth_patterns
from ops import views as ops_views
from privacy_kernel.audit import public

admin.autodiscover()
# Operators sign in through allauth like everyone else, so the two-factor step cannot be skipped.
admin.site.login = public("redirects to the account sign-in, which audits every login")(  # type: ignore[method-assign,assignment]
    secure_admin_login(admin.site.login)
)

urlpatterns = [
    path("", include("pages.urls")),
    path("account/", include(allauth_patterns())),
    path("settings/", include("accounts.urls")),
    path("settings/", include("privacy_rights.urls")),
    path("settings/", include("coach.urls")),
    path("materials/", include("materials.urls")),
    path("applications/", include("applications.urls")),
    path("diary/", include("diary.urls")),
    path("calendar/", include("calendars.urls")),
    path("billing/", include("billing.urls")),
    path("healthz", ops_views.healthz, name="healthz"),
    path("healthz/live", ops_views.live, name="healthz_live"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
