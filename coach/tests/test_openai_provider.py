"""The OpenAI-compatible provider, through the real SDK, against a local chat completions server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import SimpleTestCase

from coach.providers.base import Cancelled, ProviderError
from coach.providers.openai_compatible import OpenAICompatibleProvider
from coach.tests.fakes import FakeOpenAI, Reply, fake_openai, sample_prompt


class OpenAICompatibleProviderTests(SimpleTestCase):
    @contextmanager
    def server(self, **settings: object) -> Iterator[FakeOpenAI]:
        with (
            fake_openai() as server,
            self.settings(**server.django_settings(**{"LLM_MAX_RETRIES": 2, **settings})),
        ):
            yield server

    def test_it_streams_the_text_in_order(self) -> None:
        with self.server() as server:
            server.queue(Reply(text="Dear Ms Berg, I write.", deltas=("Dear ", "Ms Berg, ", "I write.")))
            pieces: list[str] = []
            completion = OpenAICompatibleProvider().complete(sample_prompt(), on_text=pieces.append)
        self.assertEqual(pieces, ["Dear ", "Ms Berg, ", "I write."])
        self.assertEqual(completion.text, "Dear Ms Berg, I write.")
        self.assertEqual((completion.provider, completion.model), ("openai_compatible", "local-model"))
        self.assertEqual(completion.stop_reason, "stop")

    def test_it_sends_one_system_message_then_the_task(self) -> None:
        prompt = sample_prompt(system="SYSTEM", stable="MATERIALS", task="TASK", max_tokens=700)
        with self.server() as server:
            OpenAICompatibleProvider().complete(prompt)
        body = server.bodies[0]
        self.assertEqual(
            body["messages"],
            [{"role": "system", "content": "SYSTEM\n\nMATERIALS"}, {"role": "user", "content": "TASK"}],
        )
        self.assertEqual(body["stream_options"], {"include_usage": True})
        self.assertEqual(body["max_tokens"], 700)
        self.assertEqual(server.requests[0].path, "/v1/chat/completions")
        self.assertEqual(server.requests[0].headers["authorization"], "Bearer test-key")

    def test_it_reads_usage_from_the_final_chunk(self) -> None:
        with self.server() as server:
            server.queue_text("Dear team", input_tokens=900, output_tokens=4, cache_read=600)
            usage = OpenAICompatibleProvider().complete(sample_prompt()).usage
        # Cached tokens are part of prompt_tokens in this API; they are kept apart here.
        self.assertEqual(
            (usage.input_tokens, usage.cache_read_input_tokens, usage.output_tokens), (300, 600, 4)
        )

    def test_it_works_without_an_api_key(self) -> None:
        with self.server(LLM_OPENAI_API_KEY=None) as server:
            self.assertTrue(OpenAICompatibleProvider().complete(sample_prompt()).text)
        self.assertNotIn("test-key", server.requests[0].headers.get("authorization", ""))

    def test_it_retries_after_a_rate_limit(self) -> None:
        with self.server() as server:
            server.queue_rate_limited(retry_after=0.01)
            server.queue_text("Dear team")
            self.assertEqual(OpenAICompatibleProvider().complete(sample_prompt()).text, "Dear team")
        self.assertEqual(len(server.requests), 2)

    def test_it_gives_up_on_overload_after_the_retries(self) -> None:
        with self.server(LLM_MAX_RETRIES=2) as server:
            for _ in range(3):
                server.queue_error(503, "server_error", "busy", retry_after=0.01)
            with self.assertRaises(ProviderError) as caught:
                OpenAICompatibleProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "overloaded")
        self.assertIn("overloaded right now", str(caught.exception.message))
        self.assertEqual(len(server.requests), 3)

    def test_it_recovers_from_a_server_error_within_the_retries(self) -> None:
        with self.server() as server:
            server.queue_error(500, "server_error", "oops", retry_after=0.01)
            server.queue_text("Dear team")
            self.assertEqual(OpenAICompatibleProvider().complete(sample_prompt()).text, "Dear team")

    def test_it_times_out(self) -> None:
        with self.server(LLM_OPENAI_TIMEOUT_SECONDS=0.3, LLM_MAX_RETRIES=1) as server:
            server.queue_text("too late", delay=3)
            server.queue_text("too late", delay=3)
            with self.assertRaises(ProviderError) as caught:
                OpenAICompatibleProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "timeout")

    def test_it_fails_a_stream_cut_off_halfway_without_restarting_it(self) -> None:
        with self.server() as server:
            server.queue_cut_off("Dear ", "Ms ")
            server.queue_text("a second try would duplicate the text")
            pieces: list[str] = []
            with self.assertRaises(ProviderError) as caught:
                OpenAICompatibleProvider().complete(sample_prompt(), on_text=pieces.append)
        self.assertEqual(caught.exception.kind, "cut_off")
        self.assertEqual(pieces, ["Dear ", "Ms "])
        self.assertEqual(len(server.requests), 1)

    def test_it_restarts_a_stream_that_broke_before_any_text(self) -> None:
        with self.server() as server:
            server.queue_cut_off()
            server.queue_text("Dear team")
            self.assertEqual(OpenAICompatibleProvider().complete(sample_prompt()).text, "Dear team")
        self.assertEqual(len(server.requests), 2)

    def test_it_stops_when_cancelled(self) -> None:
        with self.server() as server:
            server.queue(Reply(text="one two three four", deltas=("one ", "two ", "three ", "four")))
            pieces: list[str] = []
            with self.assertRaises(Cancelled):
                OpenAICompatibleProvider().complete(
                    sample_prompt(), on_text=pieces.append, cancelled=lambda: len(pieces) >= 2
                )
        self.assertEqual(pieces, ["one ", "two "])

    def test_it_reports_a_refused_key(self) -> None:
        with self.server() as server:
            server.queue_error(401, "invalid_api_key", "bad key")
            with self.assertRaises(ProviderError) as caught:
                OpenAICompatibleProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "auth")
        self.assertEqual(len(server.requests), 1)

    def test_it_reports_a_bad_request(self) -> None:
        with self.server() as server:
            server.queue_error(400, "invalid_request_error", "context length exceeded")
            with self.assertRaises(ProviderError) as caught:
                OpenAICompatibleProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "bad_request")
        self.assertIn("could not accept this request", str(caught.exception.message))
