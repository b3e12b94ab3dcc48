from __future__ import annotations

from django.db import connection
from django.test import SimpleTestCase, TestCase

from omoikane.replication import Replication, copies_on_postgresql, replication_state


class CopiesOnPostgreSQLTests(SimpleTestCase):
    def test_it_counts_the_primary_and_each_synchronous_standby(self) -> None:
        self.assertEqual(copies_on_postgresql(["sync", "sync"], "on"), 3)
        self.assertEqual(copies_on_postgresql(["quorum", "quorum", "potential"], "remote_apply"), 3)

    def test_it_does_not_count_asynchronous_standbys(self) -> None:
        self.assertEqual(copies_on_postgresql(["async", "potential"], "on"), 1)

    def test_it_counts_one_copy_when_commits_do_not_wait_for_standbys(self) -> None:
        self.assertEqual(copies_on_postgresql(["sync", "sync"], "local"), 1)
        self.assertEqual(copies_on_postgresql(["sync", "sync"], "off"), 1)

    def test_it_knows_nothing_when_the_role_cannot_see_the_standbys_state(self) -> None:
        # Without pg_read_all_stats, pg_stat_replication shows the rows with sync_state NULL.
        self.assertIsNone(copies_on_postgresql(["sync", None], "on"))

    def test_it_is_only_ok_with_as_many_copies_as_promised(self) -> None:
        self.assertTrue(Replication(engine="postgresql", copies=3, promised=3).ok)
        self.assertFalse(Replication(engine="postgresql", copies=2, promised=3).ok)
        self.assertFalse(Replication(engine="postgresql", copies=None, promised=1).ok)
        self.assertFalse(Replication(engine="sqlite", copies=1, promised=1).replicated)


class ReplicationStateTests(TestCase):
    def test_it_reads_one_copy_from_a_single_database(self) -> None:
        # The test database is one SQLite file or one PostgreSQL server without standbys; either way one copy.
        state = replication_state(3)
        self.assertEqual(state.engine, connection.vendor)
        self.assertEqual(state.copies, 1)
        self.assertFalse(state.ok)
        self.assertEqual(
            state.as_dict(), {"ok": False, "engine": connection.vendor, "copies": 1, "promised": 3}
        )
