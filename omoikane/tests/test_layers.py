"""The architecture's layers, checked on the source: no import cycle between modules or between apps, and
every module imports only from its own layer or below. A lower layer learns of a higher one through
signals, registries or settings strings, never an import (not even one inside a function)."""

from __future__ import annotations

from django.test import SimpleTestCase

from omoikane.tests.imports import Graph, Import, cycles, read_graph

# Lowest first. Among the features the order is the direction of knowledge: coach reads materials,
# applications use the coach, calendars link events to applications, the diary listens to applications and
# shows calendar events; never the other way round.
LAYERS: list[tuple[str, set[str]]] = [
    ("project helpers", {"omoikane"}),
    ("privacy kernel", {"privacy_kernel"}),
    ("accounts", {"accounts"}),
    ("materials", {"materials"}),
    ("coach", {"coach"}),
    ("applications", {"applications"}),
    # Calendars read applications (events are linked to them); the diary's timeline and the home page show
    # calendar events, so calendars sit below the diary and above applications.
    ("calendars", {"calendars"}),
    ("diary", {"diary"}),
    # Billing stands beside the features: above them, so that none can import it; they ask its plan limits
    # through omoikane.limits, where it registers them.
    ("billing", {"billing"}),
    ("top layer", {"privacy_rights", "ops", "pages"}),
]
# The composition root wires every layer together; it may import anything and nothing imports it.
COMPOSITION_ROOT = {
    "omoikane.settings",
    "omoikane.urls",
    "omoikane.wsgi",
    "omoikane.asgi",
    "omoikane.allauth_urls",
}
RANK = {app: rank for rank, (_name, apps) in enumerate(LAYERS) for app in apps}


def is_production(module: str) -> bool:
    """Tests, test helpers, benchmarks and browser journeys may import whatever they exercise; deploy/ holds
    server configuration files (gunicorn's), read by the server and imported by no module."""
    parts = module.split(".")
    return not (
        "tests" in parts
        or parts[0] in {"bench", "tests_browser", "conftest", "manage", "deploy"}
        or parts[-1] in {"testing", "conftest"}
    )


def app_of(module: str) -> str:
    return module.split(".")[0]


def describe(imports: list[Import]) -> str:
    return "\n".join(f"  {i.source}:{i.line} imports {i.target}" for i in imports)


class LayerTests(SimpleTestCase):
    graph: Graph

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.graph = read_graph()

    def production_imports(self) -> list[Import]:
        return [
            i
            for i in self.graph.imports
            if is_production(i.source) and i.source not in COMPOSITION_ROOT and is_production(i.target)
        ]

    def test_it_reads_the_whole_project(self) -> None:
        # A reader that found nothing would pass every rule below.
        self.assertGreater(len(self.graph.modules), 300)
        self.assertIn("privacy_kernel.audit", self.graph.modules)
        self.assertTrue(any(i.inside_function for i in self.graph.imports))

    def test_it_finds_no_cycle_between_modules(self) -> None:
        self.assertEqual(cycles(self.graph.edges()), [])

    def test_it_finds_no_cycle_between_apps(self) -> None:
        edges: dict[str, set[str]] = {}
        for imp in self.production_imports():
            source, target = app_of(imp.source), app_of(imp.target)
            edges.setdefault(source, set())
            if source != target:
                edges[source].add(target)
        self.assertEqual(cycles(edges), [])

    def test_every_app_has_a_layer(self) -> None:
        apps = {app_of(m) for m in self.graph.modules if is_production(m)}
        self.assertEqual(sorted(apps - set(RANK)), [], "Add the new app to LAYERS")

    def test_it_imports_only_from_its_own_layer_or_below(self) -> None:
        upward = [
            i
            for i in self.production_imports()
            if (
                RANK.get(app_of(i.target), -1) > RANK.get(app_of(i.source), -1)
                and RANK[app_of(i.source)] != RANK[app_of(i.target)]
            )
            or i.target in COMPOSITION_ROOT
        ]
        self.assertEqual(upward, [], "Imports against the layers:\n" + describe(upward))

    def test_the_kernel_imports_no_feature(self) -> None:
        # Stated on its own because it is the promise the rest rests on: the kernel is the floor.
        kernel = [
            i
            for i in self.production_imports()
            if app_of(i.source) == "privacy_kernel" and app_of(i.target) not in {"privacy_kernel", "omoikane"}
        ]
        self.assertEqual(kernel, [], describe(kernel))

    def test_every_import_inside_a_function_says_why(self) -> None:
        silent = [i for i in self.production_imports() if i.inside_function and not i.comment]
        self.assertEqual(
            silent, [], "Move these to the top, or say in a comment why they wait:\n" + describe(silent)
        )
