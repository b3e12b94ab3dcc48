"""Local stand-ins for the language-model APIs, so tests run the real SDKs over real HTTP.

Two servers, each a threaded `http.server` on 127.0.0.1 with a free port:

- `fake_anthropic()` speaks the Anthropic Messages API (`POST …/v1/messages`): a JSON reply, or an SSE
  stream (message_start with usage including the cache fields and `inference_geo`,
  content_block_start/delta/stop, message_delta with usage, message_stop) when the request says
  `"stream": true`, as the SDK's `messages.stream()` does.
- `fake_openai()` speaks OpenAI chat completions (`POST …/chat/completions`): a JSON reply, or SSE chunks
  ending with a usage chunk (when `stream_options.include_usage` asks for it) and `data: [DONE]`.

Script each request with a queue of replies, consumed in order:

    with fake_anthropic() as server, self.settings(**server.django_settings()):
        server.queue_text("Dear Ms Berg, …", cache_read=1200)
        server.queue_rate_limited(retry_after=0)      # then a 429 with retry-after
        server.queue_overloaded()                     # a 529 overloaded_error (Anthropic only)
        server.queue_error(500, "api_error", "boom")  # any status
        server.queue_text("late", delay=5)            # answers after 5 s: beyond a short client timeout
        server.queue_cut_off("Dear Ms", "Berg")       # streams these deltas, then drops the connection
        server.queue_text("Dear Ms Berg, …", pause=0.1)  # streams a word every 0.1 s, as a slow model
        ...
        server.bodies[0]["system"][1]["cache_control"]  # every request body received, in order

When the queue is empty a request gets `server.responder(body)`: by default a short fixed letter
(DEFAULT_TEXT); set `server.responder = lambda body: "any text"` (or a `Reply`) to script text from the
request, e.g. echoing a part of it. `server.requests` records path, headers and body of every request,
including the ones that were answered with an error or timed out.

Usage numbers: any of input_tokens / output_tokens / cache_read / cache_write left unset is estimated
(about four characters a token). With `simulate_cache=True` (the default) the Anthropic server also
behaves like the real prompt cache: the prefix up to the block marked `cache_control` is billed as a cache
write the first time the server sees it (when it is at least `min_cacheable_tokens` long) and as a cache
read afterwards; only the rest counts as `input_tokens`.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from coach.providers.base import DraftInstructions, Grounding, Prompt

DEFAULT_TEXT = (
    "Dear hiring team,\n\nI am writing to apply for the position. My experience fits what you describe.\n\n"
    "Kind regards"
)


def estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4) if text else 0


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `kind`: "text" (JSON or SSE, as the request asks), "error" (status and an
    error body), "cut_off" (SSE deltas, then the connection is dropped without the end of the body) or
    "stream_error" (Anthropic: SSE deltas, then an `error` event such as overloaded_error)."""

    kind: Literal["text", "error", "cut_off", "stream_error"] = "text"
    text: str = ""
    # The pieces the text is streamed in; by default it is split into words.
    deltas: tuple[str, ...] | None = None
    status: int = 200
    error_type: str = ""
    message: str = ""
    # Seconds for a retry-after header (sent as retry-after-ms, so fractions work); None sends none.
    retry_after: float | None = None
    # Seconds to wait before answering at all.
    delay: float = 0.0
    # Seconds to wait before each streamed event after the first, so a client (a progress page) can watch
    # the text arrive piece by piece. JSON replies ignore it.
    pause: float = 0.0
    stop_reason: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read: int | None = None
    cache_write: int | None = None
    # The region the Anthropic server reports; None echoes the request's inference_geo (or "global").
    inference_geo: str | None = None

    def pieces(self) -> tuple[str, ...]:
        if self.deltas is not None:
            return self.deltas
        words = self.text.split(" ")
        return tuple(word if i == len(words) - 1 else word + " " for i, word in enumerate(words))


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class _Usage:
    input_tokens: int
    output_tokens: int
    cache_read: int = 0
    cache_write: int = 0


class _Server:
    """What both fake APIs share: the queue, the record of requests, the HTTP plumbing."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.responder: Callable[[dict[str, Any]], str | Reply] = lambda body: DEFAULT_TEXT
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        # A short poll interval: stopping a server waits for one poll.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    # --- scripting ------------------------------------------------------------------------------------
    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def queue_text(self, text: str, **options: Any) -> None:
        """Answer with `text`; options are Reply fields (deltas, delay, stop_reason, token counts, ...)."""
        self.queue(Reply(kind="text", text=text, **options))

    def queue_error(self, status: int, error_type: str, message: str = "", **options: Any) -> None:
        self.queue(Reply(kind="error", status=status, error_type=error_type, message=message, **options))

    def queue_rate_limited(self, *, retry_after: float = 0.01, times: int = 1) -> None:
        for _ in range(times):
            self.queue_error(429, "rate_limit_error", "Rate limited", retry_after=retry_after)

    def queue_cut_off(self, *deltas: str) -> None:
        """Stream these deltas, then drop the connection in the middle of the body."""
        self.queue(Reply(kind="cut_off", deltas=deltas, text="".join(deltas)))

    def queue_stream_error(self, error_type: str, *deltas: str) -> None:
        """Anthropic: stream these deltas, then an SSE `error` event of `error_type` (overloaded_error)."""
        self.queue(Reply(kind="stream_error", error_type=error_type, deltas=deltas, text="".join(deltas)))

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [request.body for request in self.requests]

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- life cycle -----------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> _Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- serving --------------------------------------------------------------------------------------
    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        answer = self.responder(body)
        return answer if isinstance(answer, Reply) else Reply(text=answer)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                with server._lock:
                    server.requests.append(
                        RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                reply = server._next_reply(body)
                if reply.delay and server._stopping.wait(reply.delay):
                    return
                try:
                    server._answer(self, body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up first (a timeout test): nothing to answer any more.
                    self.close_connection = True

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], reply: Reply) -> None:
        if reply.kind == "error" or (reply.kind == "stream_error" and not body.get("stream")):
            headers = {}
            if reply.retry_after is not None:
                headers["retry-after-ms"] = str(int(reply.retry_after * 1000))
                headers["retry-after"] = str(max(0, round(reply.retry_after)))
            self._send_json(
                handler, reply.status if reply.status >= 400 else 500, self.error_body(reply), headers
            )
            return
        usage = self.usage_for(body, reply)
        if body.get("stream"):
            self._send_stream(
                handler,
                self.stream_events(body, reply, usage),
                cut=reply.kind == "cut_off",
                pause=reply.pause,
            )
        else:
            self._send_json(handler, 200, self.json_body(body, reply, usage))

    @staticmethod
    def _send_json(
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("request-id", f"req_{uuid.uuid4().hex[:12]}")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
        handler.wfile.flush()

    def _send_stream(
        self, handler: BaseHTTPRequestHandler, events: list[bytes], *, cut: bool, pause: float = 0.0
    ) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for i, event in enumerate(events):
            if pause and i and self._stopping.wait(pause):
                # The server is stopping: the client sees the line dropped.
                handler.close_connection = True
                return
            handler.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            handler.wfile.flush()
        if cut:
            # No terminating chunk: the client sees the body end early, as when a proxy drops the line.
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()

    # --- wire format (each API fills these in) --------------------------------------------------------
    def error_body(self, reply: Reply) -> dict[str, Any]:
        raise NotImplementedError

    def usage_for(self, body: dict[str, Any], reply: Reply) -> _Usage:
        raise NotImplementedError

    def json_body(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> dict[str, Any]:
        raise NotImplementedError

    def stream_events(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> list[bytes]:
        raise NotImplementedError


def _text_of(content: Any) -> str:
    """The text of a message's content or of a system prompt: a string or a list of text blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(block.get("text", "") for block in content if isinstance(block, dict))
    return ""


class FakeAnthropic(_Server):
    def __init__(self, *, simulate_cache: bool = True, min_cacheable_tokens: int = 1024) -> None:
        super().__init__()
        self.simulate_cache = simulate_cache
        self.min_cacheable_tokens = min_cacheable_tokens
        self._cached_prefixes: set[str] = set()

    def django_settings(self, **extra: Any) -> dict[str, Any]:
        """Settings that point the Anthropic provider at this server, for `self.settings(**...)`."""
        return {"ANTHROPIC_BASE_URL": self.url, "ANTHROPIC_API_KEY": "test-key", **extra}

    def queue_overloaded(self, *, times: int = 1, retry_after: float | None = 0.01) -> None:
        for _ in range(times):
            self.queue_error(529, "overloaded_error", "Overloaded", retry_after=retry_after)

    def error_body(self, reply: Reply) -> dict[str, Any]:
        return {"type": "error", "error": {"type": reply.error_type, "message": reply.message or "Error"}}

    def usage_for(self, body: dict[str, Any], reply: Reply) -> _Usage:
        system = body.get("system", [])
        blocks: list[dict[str, Any]] = (
            [{"type": "text", "text": system}] if isinstance(system, str) else list(system)
        )
        for message in body.get("messages", []):
            content = message.get("content", "")
            blocks.extend([{"type": "text", "text": content}] if isinstance(content, str) else content)
        cached_upto = max((i + 1 for i, b in enumerate(blocks) if b.get("cache_control")), default=0)
        prefix = "".join(_text_of([b]) for b in blocks[:cached_upto])
        rest = "".join(_text_of([b]) for b in blocks[cached_upto:])
        cache_read = cache_write = 0
        uncached = estimate_tokens(rest)
        if self.simulate_cache and prefix and estimate_tokens(prefix) >= self.min_cacheable_tokens:
            key = hashlib.sha256(f"{body.get('model')}\x00{prefix}".encode()).hexdigest()
            with self._lock:
                seen = key in self._cached_prefixes
                self._cached_prefixes.add(key)
            if seen:
                cache_read = estimate_tokens(prefix)
            else:
                cache_write = estimate_tokens(prefix)
        else:
            uncached += estimate_tokens(prefix)
        return _Usage(
            input_tokens=reply.input_tokens if reply.input_tokens is not None else uncached,
            output_tokens=reply.output_tokens
            if reply.output_tokens is not None
            else estimate_tokens(reply.text),
            cache_read=reply.cache_read if reply.cache_read is not None else cache_read,
            cache_write=reply.cache_write if reply.cache_write is not None else cache_write,
        )

    @staticmethod
    def _geo(body: dict[str, Any], reply: Reply) -> str:
        return (
            reply.inference_geo if reply.inference_geo is not None else body.get("inference_geo") or "global"
        )

    def _usage_json(
        self, body: dict[str, Any], reply: Reply, usage: _Usage, output_tokens: int
    ) -> dict[str, Any]:
        return {
            "input_tokens": usage.input_tokens,
            "output_tokens": output_tokens,
            "cache_creation_input_tokens": usage.cache_write,
            "cache_read_input_tokens": usage.cache_read,
            "inference_geo": self._geo(body, reply),
        }

    def _message(
        self, body: dict[str, Any], reply: Reply, usage: _Usage, *, streaming: bool
    ) -> dict[str, Any]:
        return {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": [] if streaming else [{"type": "text", "text": reply.text}],
            "stop_reason": None if streaming else reply.stop_reason or "end_turn",
            "stop_sequence": None,
            "usage": self._usage_json(body, reply, usage, 1 if streaming else usage.output_tokens),
        }

    def json_body(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> dict[str, Any]:
        return self._message(body, reply, usage, streaming=False)

    def stream_events(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> list[bytes]:
        def event(name: str, data: dict[str, Any]) -> bytes:
            return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()

        events = [
            event(
                "message_start",
                {"type": "message_start", "message": self._message(body, reply, usage, streaming=True)},
            ),
            event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            ),
            event("ping", {"type": "ping"}),
        ]
        events += [
            event(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
            )
            for piece in reply.pieces()
        ]
        if reply.kind == "cut_off":
            return events
        if reply.kind == "stream_error":
            return [*events, event("error", self.error_body(reply))]
        events += [
            event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": reply.stop_reason or "end_turn", "stop_sequence": None},
                    "usage": self._usage_json(body, reply, usage, usage.output_tokens),
                },
            ),
            event("message_stop", {"type": "message_stop"}),
        ]
        return events


class FakeOpenAI(_Server):
    def django_settings(self, **extra: Any) -> dict[str, Any]:
        """Settings that point the OpenAI-compatible provider at this server (and switch Anthropic off)."""
        return {
            "ANTHROPIC_API_KEY": None,
            "LLM_OPENAI_BASE_URL": f"{self.url}/v1",
            "LLM_OPENAI_MODEL": "local-model",
            "LLM_OPENAI_API_KEY": "test-key",
            **extra,
        }

    def error_body(self, reply: Reply) -> dict[str, Any]:
        return {"error": {"message": reply.message or "Error", "type": reply.error_type, "code": None}}

    def usage_for(self, body: dict[str, Any], reply: Reply) -> _Usage:
        prompt = "".join(_text_of(m.get("content", "")) for m in body.get("messages", []))
        return _Usage(
            input_tokens=reply.input_tokens if reply.input_tokens is not None else estimate_tokens(prompt),
            output_tokens=reply.output_tokens
            if reply.output_tokens is not None
            else estimate_tokens(reply.text),
            cache_read=reply.cache_read or 0,
        )

    @staticmethod
    def _usage_json(usage: _Usage) -> dict[str, Any]:
        return {
            "prompt_tokens": usage.input_tokens,
            "completion_tokens": usage.output_tokens,
            "total_tokens": usage.input_tokens + usage.output_tokens,
            "prompt_tokens_details": {"cached_tokens": usage.cache_read},
        }

    def json_body(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": reply.stop_reason or "stop",
                }
            ],
            "usage": self._usage_json(usage),
        }

    def stream_events(self, body: dict[str, Any], reply: Reply, usage: _Usage) -> list[bytes]:
        base = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", ""),
        }

        def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
            return f"data: {json.dumps({**base, 'choices': choices, **extra})}\n\n".encode()

        events = [chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])]
        events += [
            chunk([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
            for piece in reply.pieces()
        ]
        if reply.kind == "cut_off":
            return events
        events.append(chunk([{"index": 0, "delta": {}, "finish_reason": reply.stop_reason or "stop"}]))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append(chunk([], usage=self._usage_json(usage)))
        events.append(b"data: [DONE]\n\n")
        return events


def sample_prompt(*, system: str = "", stable: str = "", task: str = "", max_tokens: int = 1024) -> Prompt:
    """A small, complete Prompt for provider tests; pass the parts a test cares about."""
    grounding = Grounding(
        applicant_name="Alice Andersen",
        posting_title="Backend developer",
        company="Fjord Data",
        posting_text="We are looking for a backend developer who knows Python and PostgreSQL.",
        requirements=(),
        voice_samples=(),
        instructions=DraftInstructions(language="en"),
    )
    return Prompt(
        system=system or "You write cover letters in the applicant's own voice.",
        stable=stable or "Materials of Alice Andersen: seven years of Python and PostgreSQL at Nordlys.",
        task=task or "Write a cover letter for the Backend developer posting at Fjord Data.",
        grounding=grounding,
        max_tokens=max_tokens,
    )


@contextmanager
def fake_anthropic(**options: Any) -> Iterator[FakeAnthropic]:
    """A running fake Anthropic API; options go to FakeAnthropic (simulate_cache, min_cacheable_tokens)."""
    server = FakeAnthropic(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI-compatible chat completions API."""
    server = FakeOpenAI()
    server.start()
    try:
        yield server
    finally:
        server.stop()


__all__ = [
    "DEFAULT_TEXT",
    "FakeAnthropic",
    "FakeOpenAI",
    "RecordedRequest",
    "Reply",
    "estimate_tokens",
    "fake_anthropic",
    "fake_openai",
    "sample_prompt",
]
