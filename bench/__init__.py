"""Benchmarks: run with `make bench`; see bench/README.md. Never imported by the application."""

from __future__ import annotations
