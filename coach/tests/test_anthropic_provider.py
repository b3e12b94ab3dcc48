"""The Anthropic provider, through the real SDK, against a local server speaking the Messages API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import SimpleTestCase

from coach.providers.anthropic import AnthropicProvider
from coach.providers.base import Cancelled, ProviderError
from coach.tests.fakes import FakeAnthropic, Reply, fake_anthropic, sample_prompt


class AnthropicProviderTests(SimpleTestCase):
    @contextmanager
    def server(self, **settings: object) -> Iterator[FakeAnthropic]:
        with (
            fake_anthropic() as server,
            self.settings(**server.django_settings(**{"LLM_MAX_RETRIES": 2, **settings})),
        ):
            yield server

    def test_it_streams_the_text_in_order(self) -> None:
        with self.server() as server:
            server.queue(Reply(text="Dear Ms Berg, I write.", deltas=("Dear ", "Ms Berg, ", "I write.")))
            pieces: list[str] = []
            completion = AnthropicProvider().complete(sample_prompt(), on_text=pieces.append)
        self.assertEqual(pieces, ["Dear ", "Ms Berg, ", "I write."])
        self.assertEqual(completion.text, "Dear Ms Berg, I write.")
        self.assertEqual(completion.provider, "anthropic")
        self.assertEqual(completion.stop_reason, "end_turn")

    def test_it_streams_without_a_listener(self) -> None:
        with self.server() as server:
            server.queue_text("Dear team")
            self.assertEqual(AnthropicProvider().complete(sample_prompt()).text, "Dear team")

    def test_it_puts_the_cache_breakpoint_after_the_stable_part(self) -> None:
        prompt = sample_prompt(system="SYSTEM", stable="MATERIALS", task="TASK")
        with self.server(ANTHROPIC_MODEL="claude-sonnet-4-6") as server:
            AnthropicProvider().complete(prompt)
        body = server.bodies[0]
        self.assertEqual(
            body["system"],
            [
                {"type": "text", "text": "SYSTEM"},
                {"type": "text", "text": "MATERIALS", "cache_control": {"type": "ephemeral"}},
            ],
        )
        self.assertEqual(body["messages"], [{"role": "user", "content": "TASK"}])
        self.assertEqual(body["model"], "claude-sonnet-4-6")
        self.assertTrue(body["stream"])
        headers = server.requests[0].headers
        self.assertIn("test-key", headers.get("x-api-key", "") + headers.get("authorization", ""))

    def test_it_skips_empty_blocks(self) -> None:
        prompt = sample_prompt()
        empty_stable = type(prompt)(prompt.system, "", prompt.task, prompt.grounding, prompt.max_tokens)
        provider = AnthropicProvider(api_key="k", base_url="http://127.0.0.1:9")
        self.assertEqual(
            provider.request_body(empty_stable)["system"], [{"type": "text", "text": prompt.system}]
        )

    def test_it_caps_max_tokens_by_the_setting(self) -> None:
        with self.settings(ANTHROPIC_MAX_TOKENS=500):
            provider = AnthropicProvider(api_key="k", base_url="http://127.0.0.1:9")
        self.assertEqual(provider.request_body(sample_prompt(max_tokens=2000))["max_tokens"], 500)
        self.assertEqual(provider.request_body(sample_prompt(max_tokens=300))["max_tokens"], 300)

    def test_it_reports_prompt_cache_usage(self) -> None:
        with self.server() as server:
            server.queue_text("Dear team", input_tokens=40, output_tokens=3, cache_read=1200, cache_write=0)
            usage = AnthropicProvider().complete(sample_prompt()).usage
        self.assertEqual(
            (
                usage.input_tokens,
                usage.output_tokens,
                usage.cache_read_input_tokens,
                usage.cache_creation_input_tokens,
            ),
            (40, 3, 1200, 0),
        )

    def test_it_sends_the_configured_inference_region_and_reads_the_reported_one(self) -> None:
        with self.server(ANTHROPIC_INFERENCE_GEO="us") as server:
            completion = AnthropicProvider().complete(sample_prompt())
        self.assertEqual(server.bodies[0]["inference_geo"], "us")
        self.assertEqual(completion.region, "us")

    def test_it_sends_no_region_unless_configured(self) -> None:
        with self.server(ANTHROPIC_INFERENCE_GEO="") as server:
            completion = AnthropicProvider().complete(sample_prompt())
        self.assertNotIn("inference_geo", server.bodies[0])
        self.assertEqual(completion.region, "global")

    def test_it_retries_after_a_rate_limit(self) -> None:
        with self.server() as server:
            server.queue_rate_limited(retry_after=0.01)
            server.queue_text("Dear team")
            self.assertEqual(AnthropicProvider().complete(sample_prompt()).text, "Dear team")
        self.assertEqual(len(server.requests), 2)

    def test_it_gives_up_on_overload_after_the_retries(self) -> None:
        with self.server(LLM_MAX_RETRIES=2) as server:
            server.queue_overloaded(times=3)
            server.queue_text("never reached")
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "overloaded")
        self.assertIn("overloaded right now", str(caught.exception.message))
        self.assertEqual(len(server.requests), 3)

    def test_it_recovers_from_an_overload_within_the_retries(self) -> None:
        with self.server() as server:
            server.queue_overloaded(times=2)
            server.queue_text("Dear team")
            self.assertEqual(AnthropicProvider().complete(sample_prompt()).text, "Dear team")

    def test_it_times_out(self) -> None:
        with self.server(ANTHROPIC_TIMEOUT_SECONDS=0.3, LLM_MAX_RETRIES=1) as server:
            server.queue_text("too late", delay=3)
            server.queue_text("too late", delay=3)
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "timeout")
        self.assertIn("took too long", str(caught.exception.message))

    def test_it_fails_a_stream_cut_off_halfway_without_restarting_it(self) -> None:
        with self.server() as server:
            server.queue_cut_off("Dear ", "Ms ")
            server.queue_text("a second try would duplicate the text")
            pieces: list[str] = []
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt(), on_text=pieces.append)
        self.assertEqual(caught.exception.kind, "cut_off")
        self.assertEqual(pieces, ["Dear ", "Ms "])
        self.assertEqual(len(server.requests), 1)

    def test_it_restarts_a_stream_that_broke_before_any_text(self) -> None:
        with self.server() as server:
            server.queue_cut_off()
            server.queue_text("Dear team")
            pieces: list[str] = []
            completion = AnthropicProvider().complete(sample_prompt(), on_text=pieces.append)
        self.assertEqual((completion.text, pieces), ("Dear team", ["Dear ", "team"]))
        self.assertEqual(len(server.requests), 2)

    def test_it_stops_when_cancelled(self) -> None:
        with self.server() as server:
            server.queue(Reply(text="one two three four", deltas=("one ", "two ", "three ", "four")))
            pieces: list[str] = []
            with self.assertRaises(Cancelled):
                AnthropicProvider().complete(
                    sample_prompt(), on_text=pieces.append, cancelled=lambda: len(pieces) >= 2
                )
        self.assertEqual(pieces, ["one ", "two "])

    def test_it_reports_a_refused_key(self) -> None:
        with self.server(LLM_MAX_RETRIES=2) as server:
            server.queue_error(401, "authentication_error", "invalid x-api-key")
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "auth")
        self.assertEqual(len(server.requests), 1)  # a wrong key does not get better by asking again

    def test_it_reports_a_bad_request(self) -> None:
        with self.server() as server:
            server.queue_error(400, "invalid_request_error", "prompt is too long")
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "bad_request")

    def test_it_reports_an_unreachable_server(self) -> None:
        with self.settings(LLM_MAX_RETRIES=0):
            provider = AnthropicProvider(api_key="k", base_url="http://127.0.0.1:9")
        with self.assertRaises(ProviderError) as caught:
            provider.complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "unavailable")

    def test_it_gives_up_on_a_stream_that_keeps_breaking_before_any_text(self) -> None:
        with self.server(LLM_MAX_RETRIES=1) as server:
            server.queue_cut_off()
            server.queue_cut_off()
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "cut_off")
        self.assertEqual(len(server.requests), 2)

    def test_it_maps_an_overload_inside_the_stream(self) -> None:
        with self.server(LLM_MAX_RETRIES=0) as server:
            server.queue_stream_error("overloaded_error")
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "overloaded")

    def test_it_retries_an_overload_inside_the_stream_before_any_text(self) -> None:
        with self.server() as server:
            server.queue_stream_error("overloaded_error")
            server.queue_text("Dear team")
            self.assertEqual(AnthropicProvider().complete(sample_prompt()).text, "Dear team")

    def test_it_fails_an_overload_after_text_as_cut_off(self) -> None:
        with self.server() as server:
            server.queue_stream_error("overloaded_error", "Dear ")
            with self.assertRaises(ProviderError) as caught:
                AnthropicProvider().complete(sample_prompt())
        self.assertEqual(caught.exception.kind, "cut_off")
        self.assertEqual(len(server.requests), 1)
