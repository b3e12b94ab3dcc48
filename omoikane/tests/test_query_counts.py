"""Query counts of the hot pages. A change here is a deliberate decision, not an accident.

Signed-in requests pay 2 queries before the view runs: session and user. allauth's session tracking, which
keeps "last seen" true in the sessions list, writes at most once a minute per session (five statements and
the session's save, on a session's first request; accounts/middleware.py), so each test here makes a first
request before it counts. Audited views add two statements: the head of the user's audit chain, and the
INSERT.
"""

from __future__ import annotations

from django.db import connection

from omoikane.testing import BaseTestCase

SIGNED_IN_BASE = 2
# The audit row of a page view: reading the chain's head and the INSERT, one statement on PostgreSQL, which
# hashes the entry itself (privacy_kernel/chain.py).
AUDIT_ROW = 1 if connection.vendor == "postgresql" else 2
# The Security page reads its evidence live (ops/evidence.py): the last backup, restore drill and audit
# verification, and the longest export and erasure of the last 30 days. One query each.
SECURITY_EVIDENCE = 5
# And the copies of each write, read from the database itself (omoikane/replication.py): on PostgreSQL the
# server's version, synchronous_commit and pg_stat_replication; a SQLite file is one copy without asking.
REPLICATION = 3 if connection.vendor == "postgresql" else 0


class QueryCountTests(BaseTestCase):
    def test_it_serves_public_pages_to_visitors_without_queries(self) -> None:
        for path in ["/", "/sub-processors/", "/privacy/", "/terms/", "/changelog/"]:
            with self.subTest(path=path), self.assertNumQueries(0):
                self.client.get(path)
        with self.assertNumQueries(SECURITY_EVIDENCE + REPLICATION):
            self.client.get("/security/")

    def test_it_keeps_public_pages_cheap_for_signed_in_users(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")
        with self.assertNumQueries(SIGNED_IN_BASE + SECURITY_EVIDENCE + REPLICATION):
            self.client.get("/security/")

    def test_it_keeps_the_settings_page_cheap(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")
        with self.assertNumQueries(SIGNED_IN_BASE + AUDIT_ROW):
            self.client.get("/settings/")

    def test_it_keeps_the_home_page_cheap(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/home/")
        # + eight bounded lists (follow-ups, deadlines, interviews, calendar events, drafts, replies, recent,
        # material kinds) and the audit row; pages/tests/test_dashboard.py shows it stays so with many
        # applications.
        with self.assertNumQueries(SIGNED_IN_BASE + 8 + AUDIT_ROW):
            self.client.get("/home/")

    def test_it_keeps_the_two_factor_page_cheap(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/")
        with self.assertNumQueries(
            SIGNED_IN_BASE + 2 + AUDIT_ROW
        ):  # + authenticators, a check, the audit row
            self.client.get("/account/2fa/")
