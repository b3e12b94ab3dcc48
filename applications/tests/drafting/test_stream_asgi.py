"""The draft stream under ASGI (the production server): an async stream that sends the text while it is
written, and one query per tick for all the streams open in a worker; and the heartbeat of a quiet stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.db import connections
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.drafting.streams import HEARTBEAT_SECONDS, _Cursor
from applications.models import DraftGeneration
from applications.tests.drafting.helpers import applicant, request
from applications.tests.factories import add_application
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


def parse(chunk: bytes) -> tuple[str, dict[str, object]]:
    name, data = chunk.decode().strip().split("\n")
    return name.removeprefix("event: "), json.loads(data.removeprefix("data: "))


def body_of(response: object) -> AsyncIterator[bytes]:
    return aiter(response.streaming_content)  # type: ignore[attr-defined]


async def rest(body: AsyncIterator[bytes]) -> list[tuple[str, dict[str, object]]]:
    return [parse(chunk) async for chunk in body]


class AsgiStreamTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        # One draft at a time per application: three applications for three open streams.
        applications = [self.application, add_application(self.alice), add_application(self.alice)]
        self.generations = [request(application) for application in applications]
        DraftGeneration.objects.filter(pk__in=[g.pk for g in self.generations]).update(
            status=DraftGeneration.Status.RUNNING, partial_text="Dear"
        )
        self.letter_url = reverse("applications:letter", args=[self.application.pk])

    def stream_url(self, generation: DraftGeneration) -> str:
        return reverse("applications:letter_stream", args=[generation.application_id, generation.pk])

    async def test_it_sends_the_text_as_it_is_written_then_done(self) -> None:
        await self.async_client.aforce_login(self.alice)
        generation = self.generations[0]
        r = await self.async_client.get(self.stream_url(generation))
        self.assertEqual(r["Content-Type"], "text/event-stream")
        self.assertTrue(r.is_async)  # type: ignore[attr-defined]  # served without a thread held for it
        body = body_of(r)
        self.assertEqual(parse(await anext(body)), ("text", {"text": "Dear"}))
        await DraftGeneration.objects.filter(pk=generation.pk).aupdate(partial_text="Dear Hiring Team,")
        self.assertEqual(parse(await anext(body)), ("text", {"text": " Hiring Team,"}))
        await DraftGeneration.objects.filter(pk=generation.pk).aupdate(status=DraftGeneration.Status.DONE)
        self.assertEqual(await rest(body), [("done", {"url": self.letter_url})])
        # Audited once, when the stream opened.
        count = await AuditEvent.objects.filter(event=Event.DRAFT_PROGRESS_VIEWED).acount()
        self.assertEqual(count, 1)

    async def test_open_streams_share_one_query_per_tick(self) -> None:
        await self.async_client.aforce_login(self.alice)
        bodies = []
        for generation in self.generations:
            r = await self.async_client.get(self.stream_url(generation))
            body = body_of(r)
            self.assertEqual(parse(await anext(body))[0], "text")
            bodies.append(body)
        await DraftGeneration.objects.filter(pk__in=[g.pk for g in self.generations]).aupdate(
            status=DraftGeneration.Status.FAILED, error="The model is overloaded right now."
        )
        # The test's connection lives in the test's own thread, where the streams' queries run too.
        queries = await sync_to_async(lambda: CaptureQueriesContext(connections["default"]).__enter__())()
        endings = await asyncio.gather(*(rest(body) for body in bodies))
        await sync_to_async(queries.__exit__)(None, None, None)
        self.assertEqual(
            endings, [[("failed", {"message": "The model is overloaded right now."})]] * len(bodies)
        )
        looks = [q["sql"] for q in queries.captured_queries if "applications_draftgeneration" in q["sql"]]
        self.assertEqual(len(looks), 1, looks)
        for generation in self.generations:
            self.assertIn(str(generation.pk), looks[0])

    async def test_a_deleted_draft_ends_the_stream(self) -> None:
        await self.async_client.aforce_login(self.alice)
        generation = self.generations[0]
        r = await self.async_client.get(self.stream_url(generation))
        body = body_of(r)
        await anext(body)
        await DraftGeneration.objects.filter(pk=generation.pk).adelete()
        self.assertEqual(await rest(body), [("failed", {"message": "This draft no longer exists."})])

    async def test_another_users_stream_is_not_found(self) -> None:
        await self.async_client.aforce_login(self.charlie)
        r = await self.async_client.get(self.stream_url(self.generations[0]))
        self.assertEqual(r.status_code, 404)


class HeartbeatTests(SimpleTestCase):
    ROW = {"status": DraftGeneration.Status.RUNNING, "partial_text": "Dear", "error": ""}

    def test_a_quiet_stream_sends_a_comment_so_a_closed_connection_is_noticed(self) -> None:
        cursor = _Cursor("/letter/", sent=4, last_write=time.monotonic() - HEARTBEAT_SECONDS - 1)
        self.assertEqual(cursor.events(self.ROW), ([": still writing\n\n"], False))
        # Not again until the next quiet stretch.
        self.assertEqual(cursor.events(self.ROW), ([], False))

    def test_a_stream_that_sends_text_needs_no_comment(self) -> None:
        cursor = _Cursor("/letter/", last_write=time.monotonic() - HEARTBEAT_SECONDS - 1)
        events, finished = cursor.events(self.ROW)
        self.assertEqual([parse(e.encode())[0] for e in events], ["text"])
        self.assertFalse(finished)
