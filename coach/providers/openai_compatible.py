"""Drafts with a self-hosted model behind an OpenAI-compatible chat completions API (vLLM, llama.cpp,
Ollama, ...), streamed. Retries and the cut-off rule are the same as for Anthropic (see anthropic.py).

The system text and the user's materials go first, as one system message: local chat templates often
accept only one, and servers with automatic prefix caching (vLLM) then reuse the same prefix across one
user's drafts without being told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import openai
from django.conf import settings

from coach.providers.base import Cancelled, Completion, Prompt, Usage
from coach.providers.errors import BrokeBeforeText, failure, kind_for_status, with_restarts

logger = logging.getLogger(__name__)

# Servers that need no key still get an Authorization header from the SDK; this one means "none".
_NO_KEY = "none"


def host_label(base_url: str) -> str:
    """The host of the configured server, as shown on the Sub-processors page and in the audit log."""
    parts = urlsplit(base_url)
    return parts.hostname or base_url


def _request_kind(error: openai.APIError) -> str:
    if isinstance(error, openai.APIStatusError):
        return kind_for_status(error.status_code)
    if isinstance(error, openai.APITimeoutError):
        return "timeout"
    return "unavailable"


@lru_cache(maxsize=8)
def _client(base_url: str, api_key: str, timeout: float, max_retries: int) -> openai.OpenAI:
    # Shared per configuration, as for Anthropic: cheaper calls and connections kept open.
    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries)


class OpenAICompatibleProvider:
    key = "openai_compatible"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        max_tokens: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> None:
        self.base_url: str = base_url or settings.LLM_OPENAI_BASE_URL or ""
        self.model: str = model or settings.LLM_OPENAI_MODEL
        self.max_tokens: int = max_tokens or settings.LLM_OPENAI_MAX_TOKENS
        self.max_retries: int = settings.LLM_MAX_RETRIES if max_retries is None else max_retries
        self.host = host_label(self.base_url)
        self._client = _client(
            self.base_url,
            api_key or settings.LLM_OPENAI_API_KEY or _NO_KEY,
            float(timeout or settings.LLM_OPENAI_TIMEOUT_SECONDS),
            self.max_retries,
        )

    def request_body(self, prompt: Prompt) -> dict[str, Any]:
        """The exact request sent for `prompt`; the trace stores this same dict."""
        system = "\n\n".join(part for part in (prompt.system, prompt.stable) if part)
        messages: list[dict[str, str]] = []
        if system:
            messages.append({"role": "system", "content": system})
        messages.append({"role": "user", "content": prompt.task})
        return {
            "model": self.model,
            "max_tokens": min(prompt.max_tokens, self.max_tokens) if prompt.max_tokens else self.max_tokens,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        body = self.request_body(prompt)
        return with_restarts(
            lambda: self._stream(body, on_text, cancelled), max_retries=self.max_retries, provider="Model"
        )

    def _stream(
        self,
        body: dict[str, Any],
        on_text: Callable[[str], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> Completion:
        try:
            stream = self._client.chat.completions.create(**body)
        except openai.APIError as error:
            kind = _request_kind(error)
            logger.warning("Model request failed: %s (%s)", kind, type(error).__name__)
            raise failure(kind) from error
        pieces: list[str] = []
        finish_reason = ""
        usage = Usage()
        model = self.model
        try:
            for chunk in stream:
                if cancelled is not None and cancelled():
                    raise Cancelled
                model = chunk.model or model
                if chunk.usage is not None:
                    details = chunk.usage.prompt_tokens_details
                    cached = (details.cached_tokens or 0) if details is not None else 0
                    # OpenAI counts cached tokens inside prompt_tokens; we keep them apart, as Anthropic does.
                    usage = Usage(
                        input_tokens=max(chunk.usage.prompt_tokens - cached, 0),
                        output_tokens=chunk.usage.completion_tokens,
                        cache_read_input_tokens=cached,
                    )
                for choice in chunk.choices:
                    if choice.delta.content:
                        pieces.append(choice.delta.content)
                        if on_text is not None:
                            on_text(choice.delta.content)
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
        except openai.APIError as error:
            kind = _request_kind(error)
            logger.warning("Model stream broke: %s (%s)", kind, type(error).__name__)
            if pieces:
                raise failure("cut_off") from error
            raise BrokeBeforeText(kind) from error
        finally:
            stream.close()
        if not finish_reason:
            if pieces:
                raise failure("cut_off")
            raise BrokeBeforeText("cut_off")
        return Completion(
            text="".join(pieces), provider=self.key, model=model, usage=usage, stop_reason=finish_reason
        )
