"""Names of applications and replies for the activity page (privacy_kernel/descriptions.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from applications.models import (
    Application,
    DraftGeneration,
    DraftVersion,
    PostingImport,
    Reply,
    SentVersion,
)
from privacy_kernel.descriptions import names


def _ids(ids: Collection[str]) -> list[int]:
    return [int(value) for value in ids if value.isdigit()]


@names("applications.application")
def _applications(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = Application.objects.owned_by(user).filter(pk__in=_ids(ids)).only("id", "title", "company")
    return {str(application.pk): str(application) for application in found}


def _by_application(queryset: Any, user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = (
        queryset.owned_by(user)
        .filter(pk__in=_ids(ids))
        .select_related("application")
        .only("id", "application__title", "application__company")
    )
    return {str(item.pk): str(item.application) for item in found}


@names("applications.reply")
def _replies(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    return _by_application(Reply.objects.all(), user, ids)


@names("applications.draftversion")
def _drafts(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    return _by_application(DraftVersion.objects.all(), user, ids)


@names("applications.sentversion")
def _sent(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    return _by_application(SentVersion.objects.all(), user, ids)


@names("applications.draftgeneration")
def _generations(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    return _by_application(DraftGeneration.objects.all(), user, ids)


@names("applications.postingimport")
def _imports(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = PostingImport.objects.owned_by(user).filter(pk__in=_ids(ids)).only("id", "url")
    return {str(row.pk): row.url for row in found}
