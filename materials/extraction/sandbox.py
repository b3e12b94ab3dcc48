"""`extract()`: parsing in a child process bounded in time and memory.

Parsers for PDF and Office files are large and see hostile input; a bug or a bomb in one must cost a
child process, not the web worker. The child gets no environment (no secrets, no database address) and
reports back in JSON, so nothing but text and a content type crosses back.
"""

from __future__ import annotations

import json
import logging
import math
import signal
import subprocess
import sys
from pathlib import Path

from materials.extraction.core import (
    CONTENT_TYPES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_FILE_BYTES,
    Extracted,
    ExtractionError,
)

logger = logging.getLogger(__name__)

# The directory that holds the `materials` package, so `python -m materials.extraction.worker` finds it.
BASE_DIR = Path(__file__).resolve().parents[2]
_LIMIT_SIGNALS = frozenset({-signal.SIGXCPU, -signal.SIGKILL})


def extract(
    data: bytes,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
) -> Extracted:
    """Extract text from an uploaded file; raises ExtractionError with a message for the user."""
    if not data:
        raise ExtractionError("empty")
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError("too_large")
    command = [
        sys.executable,
        # -E and -s: no PYTHON* variables and no user site-packages can change what the child runs;
        # -B: the child writes nothing, not even bytecode caches (it may not write files at all).
        "-E",
        "-s",
        "-B",
        "-m",
        "materials.extraction.worker",
        str(max_pages),
        str(max(1, math.ceil(timeout_seconds))),
        str(memory_bytes),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed command; the file only travels on stdin
            command,
            input=data,
            capture_output=True,
            timeout=timeout_seconds,
            cwd=BASE_DIR,
            env={"LC_ALL": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionError("timeout") from None
    if completed.returncode in _LIMIT_SIGNALS:
        raise ExtractionError("timeout")
    try:
        payload = json.loads(completed.stdout)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        if b"MemoryError" in completed.stderr:
            raise ExtractionError("timeout")
        # Only the exit status is logged: the child's output could quote the user's document.
        logger.warning("Extraction worker failed with exit status %s", completed.returncode)
        raise ExtractionError("corrupt")
    if "error" in payload:
        if "detail" in payload:
            logger.warning("Extraction worker could not parse a file: %s", payload["detail"])
        raise ExtractionError(str(payload["error"]))
    text, content_type, pages = payload.get("text"), payload.get("content_type"), payload.get("pages")
    if not isinstance(text, str) or content_type not in CONTENT_TYPES or not isinstance(pages, int | None):
        raise ExtractionError("corrupt")
    return Extracted(text=text, content_type=content_type, pages=pages)
