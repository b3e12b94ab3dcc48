"""The project's actions: every module-level function named `do_*` in production code."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib import import_module
from typing import Any

from omoikane.tests.imports import read_graph
from omoikane.tests.test_layers import is_production


def production_actions() -> list[Callable[..., Any]]:
    found: list[Callable[..., Any]] = []
    for name, path in sorted(read_graph().modules.items()):
        if not is_production(name) or "def do_" not in path.read_text():
            continue
        module = import_module(name)
        found += [
            function
            for attribute, function in inspect.getmembers(module, inspect.isfunction)
            if attribute.startswith("do_") and function.__module__ == name
        ]
    return found
