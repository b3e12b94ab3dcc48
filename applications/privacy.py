from __future__ import annotations

from applications.models import Application, FitScore, Reply, StatusChange
from privacy.registry import Personal

PERSONAL = [
    Personal(
        Application, owner="user", export="applications/{slug}/application.json (posting, status, notes)"
    ),
    Personal(
        StatusChange, owner="application__user", export="applications/{slug}/application.json (history)"
    ),
    Personal(FitScore, owner="application__user", export="applications/{slug}/scores.json"),
    Personal(Reply, owner="application__user", export="applications/{slug}/replies/"),
]
