"""The sandboxed side of `extract()`.

Run as `python -m materials.extraction.worker MAX_PAGES CPU_SECONDS MEMORY_BYTES`. Reads the file on
stdin and writes one JSON object on stdout: the result, or {"error": code}. It bounds itself before
reading a byte, and imports neither Django nor anything else it does not need.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import zlib

from materials.extraction.core import ExtractionError
from materials.extraction.inprocess import extract_in_process


def _lower(limit: int, soft: int, hard: int) -> None:
    """Lower a limit, never above a stricter one the host already set (raising it would fail)."""
    _, current_hard = resource.getrlimit(limit)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(limit, (soft, hard))


def _bound_self(cpu_seconds: int, memory_bytes: int) -> None:
    # Hard limits too, so nothing the parser does can raise them again. CPU time past the soft limit
    # ends the process with SIGXCPU; the parent's wall-clock timeout covers a process that only waits.
    _lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    _lower(resource.RLIMIT_AS, memory_bytes, memory_bytes)
    # A crash must not leave the user's document in a core file, and parsing never needs to write one.
    _lower(resource.RLIMIT_CORE, 0, 0)
    _lower(resource.RLIMIT_FSIZE, 0, 0)


def _ran_out_of_memory(error: BaseException) -> bool:
    """Whether the memory bound caused this error, even where a parser turned it into another one."""
    seen: BaseException | None = error
    for _ in range(20):
        if seen is None:
            return False
        # CPython reports some allocation failures inside C code as SystemError ("error return without
        # exception set"); in this bounded process that is what it means.
        if isinstance(seen, MemoryError | SystemError):
            return True
        # zlib reports its own allocation failures as Z_MEM_ERROR (-4), not as MemoryError.
        if isinstance(seen, zlib.error) and ("-4" in str(seen) or "memory" in str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def main(argv: list[str]) -> int:
    max_pages, cpu_seconds, memory_bytes = (int(value) for value in argv[1:4])
    _bound_self(cpu_seconds, memory_bytes)
    # pypdf logs every repair it makes to a damaged file; the answer we send back is what counts.
    logging.disable(logging.CRITICAL)
    data = sys.stdin.buffer.read()
    payload: dict[str, object]
    try:
        extracted = extract_in_process(data, max_pages=max_pages)
        payload = {"text": extracted.text, "content_type": extracted.content_type, "pages": extracted.pages}
    except ExtractionError as error:
        payload = {"error": "timeout" if _ran_out_of_memory(error) else error.code}
        if error.__cause__ is not None and payload["error"] == "corrupt":
            # Only the exception's class: its message could quote the document.
            payload["detail"] = type(error.__cause__).__name__
    except Exception as error:
        if _ran_out_of_memory(error):
            payload = {"error": "timeout"}
        else:
            # A parser tripping over hostile or broken input: for the user, an unreadable file.
            payload = {"error": "corrupt", "detail": type(error).__name__}
    sys.stdout.write(json.dumps(payload))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
