"""Drafts with Anthropic's Messages API: streamed, with the user's materials behind a prompt-cache breakpoint.

Retries: the SDK retries the request itself (429, 529, other 5xx, timeouts, broken connections) with
exponential backoff that honours retry-after, LLM_MAX_RETRIES times. A stream that breaks before any text
arrived is started again the same way. One that breaks after text was handed to `on_text` is not: a
silent restart would send the caller the same words twice, so it fails with kind "cut_off" and the caller
decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import anthropic
import httpx2
from django.conf import settings

from coach.providers.base import Cancelled, Completion, Prompt, Usage
from coach.providers.errors import BrokeBeforeText, failure, kind_for_status, with_restarts

logger = logging.getLogger(__name__)

# Anthropic's error types, for errors that arrive inside a stream (an SSE "error" event on a 200 response).
_ERROR_TYPES = {
    "rate_limit_error": "rate_limited",
    "overloaded_error": "overloaded",
    "authentication_error": "auth",
    "permission_error": "auth",
    "invalid_request_error": "bad_request",
    "request_too_large": "bad_request",
    "timeout_error": "timeout",
}


def _status_kind(error: anthropic.APIStatusError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    inner = body.get("error") if isinstance(body.get("error"), dict) else body
    error_type = inner.get("type", "") if isinstance(inner, dict) else ""
    return _ERROR_TYPES.get(error_type) or kind_for_status(error.status_code)


def _request_kind(error: anthropic.APIError) -> str:
    if isinstance(error, anthropic.APIStatusError):
        return _status_kind(error)
    if isinstance(error, anthropic.APITimeoutError):
        return "timeout"
    return "unavailable"


@lru_cache(maxsize=8)
def _client(
    api_key: str | None, base_url: str | None, timeout: float, max_retries: int
) -> anthropic.Anthropic:
    # One client per configuration, shared by every call: building one costs a noticeable fraction of a
    # second, and a shared one keeps its connections open between drafts. It is safe across threads.
    return anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)


class AnthropicProvider:
    key = "anthropic"

    def __init__(
        self,
        *,
        model: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        inference_geo: str | None = None,
        max_tokens: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> None:
        self.model: str = model or settings.ANTHROPIC_MODEL
        self.inference_geo: str = settings.ANTHROPIC_INFERENCE_GEO if inference_geo is None else inference_geo
        self.max_tokens: int = max_tokens or settings.ANTHROPIC_MAX_TOKENS
        self.max_retries: int = settings.LLM_MAX_RETRIES if max_retries is None else max_retries
        self._client = _client(
            api_key or settings.ANTHROPIC_API_KEY,
            # None lets the SDK read ANTHROPIC_BASE_URL from the environment, or use its default.
            base_url or settings.ANTHROPIC_BASE_URL or None,
            float(timeout or settings.ANTHROPIC_TIMEOUT_SECONDS),
            self.max_retries,
        )

    def request_body(self, prompt: Prompt) -> dict[str, Any]:
        """The exact request sent for `prompt`; the trace stores this same dict."""
        system: list[dict[str, Any]] = []
        if prompt.system:
            system.append({"type": "text", "text": prompt.system})
        if prompt.stable:
            # The breakpoint goes after the user's materials and samples: they are the same for every
            # draft of theirs, so from the second draft on they are read from the cache at a tenth of the
            # price instead of being billed again in full.
            system.append({"type": "text", "text": prompt.stable, "cache_control": {"type": "ephemeral"}})
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": min(prompt.max_tokens, self.max_tokens) if prompt.max_tokens else self.max_tokens,
            "system": system,
            "messages": [{"role": "user", "content": prompt.task}],
        }
        if self.inference_geo:
            body["inference_geo"] = self.inference_geo
        return body

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        body = self.request_body(prompt)
        return with_restarts(
            lambda: self._stream(body, on_text, cancelled), max_retries=self.max_retries, provider="Anthropic"
        )

    def _stream(
        self,
        body: dict[str, Any],
        on_text: Callable[[str], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> Completion:
        manager = self._client.messages.stream(**body)
        try:
            stream = manager.__enter__()
        except anthropic.APIError as error:
            # The SDK has already retried what can be retried.
            kind = _request_kind(error)
            logger.warning("Anthropic request failed: %s (%s)", kind, type(error).__name__)
            raise failure(kind) from error
        received = False
        started = False
        try:
            for event in stream:
                if cancelled is not None and cancelled():
                    raise Cancelled
                if event.type == "message_start":
                    started = True
                elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                    received = True
                    if on_text is not None:
                        on_text(event.delta.text)
        except (anthropic.APIError, httpx2.HTTPError) as error:
            kind = _request_kind(error) if isinstance(error, anthropic.APIError) else "cut_off"
            logger.warning("Anthropic stream broke: %s (%s)", kind, type(error).__name__)
            if received:
                raise failure("cut_off") from error
            raise BrokeBeforeText(kind) from error
        finally:
            manager.__exit__(None, None, None)
        message = stream.current_message_snapshot if started else None
        if message is None or message.stop_reason is None:
            # The body ended without the message's end: the line was dropped cleanly between events.
            if received:
                raise failure("cut_off")
            raise BrokeBeforeText("cut_off")
        usage = message.usage
        return Completion(
            text="".join(block.text for block in message.content if block.type == "text"),
            provider=self.key,
            model=message.model or self.model,
            usage=Usage(
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
                cache_read_input_tokens=usage.cache_read_input_tokens or 0,
                cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
            ),
            stop_reason=message.stop_reason,
            region=usage.inference_geo or "",
        )
