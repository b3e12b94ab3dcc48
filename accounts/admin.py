from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    """Account metadata only. Operators can lock an account or grant staff, and change nothing else."""

    list_display = ("email", "name", "language", "date_joined", "last_login", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "language")
    search_fields = ("email",)
    ordering = ("-date_joined",)
    fields = ("email", "name", "language", "date_joined", "last_login", "is_active", "is_staff")
    readonly_fields = ("email", "name", "language", "date_joined", "last_login")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting an account is the user's own erasure flow, which cleans every store; never a row delete.
        return False
