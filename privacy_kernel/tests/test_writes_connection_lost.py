"""A write whose database connection drops (a failover): run again on a new connection if it had not started
committing, an unknown outcome if it had. The connection is really cut, by pg_terminate_backend from a
second connection, so these run on PostgreSQL only (CI runs the suite on PostgreSQL too)."""

from __future__ import annotations

import sqlite3
import unittest
from collections.abc import Callable

import psycopg
from django.db import OperationalError, connection
from django.test import SimpleTestCase, override_settings

from applications.actions import PostingData, do_add_application, do_update_notes
from applications.models import Application
from omoikane.db import connection_lost
from omoikane.testing import BaseTransactionTestCase, cut_own_connection
from privacy_kernel import writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

ACTOR = Actor.system("test")


class ConnectionLostTests(SimpleTestCase):
    def test_it_knows_a_connection_cut_by_the_server(self) -> None:
        self.assertTrue(connection_lost(psycopg.errors.AdminShutdown("terminating connection")))
        self.assertTrue(
            connection_lost(psycopg.OperationalError("server closed the connection unexpectedly"))
        )
        self.assertTrue(connection_lost(psycopg.errors.ReadOnlySqlTransaction("read-only transaction")))

    def test_it_finds_the_driver_error_behind_djangos(self) -> None:
        try:
            raise OperationalError("connection failed") from psycopg.errors.CannotConnectNow("starting up")
        except OperationalError as error:
            self.assertTrue(connection_lost(error))

    def test_it_does_not_take_a_wrong_statement_for_a_lost_connection(self) -> None:
        self.assertFalse(connection_lost(psycopg.errors.SyntaxError("syntax error")))
        self.assertFalse(connection_lost(psycopg.errors.SerializationFailure("conflict")))
        self.assertFalse(connection_lost(psycopg.errors.QueryCanceled("statement timeout")))

    def test_it_does_not_take_sqlites_lock_for_a_lost_connection(self) -> None:
        try:
            raise OperationalError("database is locked") from sqlite3.OperationalError("database is locked")
        except OperationalError as error:
            self.assertFalse(connection_lost(error))


@unittest.skipUnless(connection.vendor == "postgresql", "cuts a real PostgreSQL connection")
class WriteConnectionLostTests(BaseTransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = do_add_application(
            self.alice, PostingData(title="Data engineer", posting_text="Python and SQL."), actor=ACTOR
        )

    def run_cutting_once(self, before: Callable[[], None], after: Callable[[], None]) -> int:
        """Run a write that does `before`, cuts its connection on the first run only, then does `after`."""
        runs = 0

        def write() -> None:
            nonlocal runs
            runs += 1
            before()
            if runs == 1:
                cut_own_connection()
            after()

        writes.run(write)
        return runs

    def notes_events(self) -> int:
        return AuditEvent.objects.filter(event=Event.APPLICATION_NOTES_EDITED).count()

    def test_it_runs_a_write_cut_before_its_commit_again_on_a_new_connection(self) -> None:
        runs = self.run_cutting_once(
            lambda: None, lambda: do_update_notes(self.application, "Call back Monday", actor=ACTOR)
        )
        self.assertEqual(runs, 2)
        self.application.refresh_from_db()
        self.assertEqual(self.application.notes, "Call back Monday")
        self.assertEqual(self.notes_events(), 1)

    def test_it_reports_an_unknown_outcome_when_the_commit_itself_is_cut(self) -> None:
        # The cut is the write's last step: the next thing on the wire is its COMMIT.
        with self.assertRaises(writes.WriteOutcomeUnknown):
            self.run_cutting_once(
                lambda: do_update_notes(self.application, "Sent the portfolio", actor=ACTOR), lambda: None
            )
        # Not run again: here the server had rolled it back, which the application could not know.
        self.assertEqual(Application.objects.get(pk=self.application.pk).notes, "")
        self.assertEqual(self.notes_events(), 0)

    @override_settings(DATABASE_FAILOVER_WAIT_SECONDS=0)
    def test_it_fails_cleanly_once_the_wait_for_a_new_primary_is_over(self) -> None:
        with self.assertRaises(OperationalError) as raised:
            self.run_cutting_once(
                lambda: None, lambda: do_update_notes(self.application, "Never saved", actor=ACTOR)
            )
        self.assertNotIsInstance(raised.exception, writes.WriteOutcomeUnknown)
        self.assertTrue(connection_lost(raised.exception))
        self.assertEqual(Application.objects.get(pk=self.application.pk).notes, "")
        self.assertEqual(self.notes_events(), 0)
