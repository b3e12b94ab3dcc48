from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from omoikane.db import check_multi_host


def parsed(url: str) -> dict[str, object]:
    """The URL as settings.py reads DATABASE_URL, then checked as settings.py checks it."""
    db: dict[str, object] = dict(environ.Env.db_url_config(url))
    check_multi_host(db, source="DATABASE_URL")
    return db


class MultiHostUrlTests(SimpleTestCase):
    def test_it_makes_a_multi_host_url_find_the_writable_host(self) -> None:
        db = parsed("postgres://omoikane@db1:5432,db2:5432,db3:5432/omoikane")
        self.assertEqual((db["HOST"], db["PORT"]), ("db1,db2,db3", "5432,5432,5432"))
        self.assertEqual(db["OPTIONS"], {"target_session_attrs": "read-write"})

    def test_it_keeps_what_the_url_says(self) -> None:
        db = parsed("postgres://omoikane@db1,db2/omoikane?target_session_attrs=primary&sslmode=verify-full")
        self.assertEqual(db["OPTIONS"], {"target_session_attrs": "primary", "sslmode": "verify-full"})

    def test_it_leaves_a_single_host_alone(self) -> None:
        db = parsed("postgres://omoikane@db1:5432/omoikane")
        self.assertNotIn("OPTIONS", db)

    def test_it_refuses_hosts_that_could_be_a_standby(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "target_session_attrs=any"):
            parsed("postgres://omoikane@db1,db2/omoikane?target_session_attrs=any")

    def test_it_refuses_ports_that_do_not_match_the_hosts(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "names 3 hosts and 2 ports"):
            parsed("postgres://omoikane@db1:5432,db2:5433,db3/omoikane")

    def test_it_refuses_an_empty_host(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "empty host"):
            parsed("postgres://omoikane@db1,,db3/omoikane")
