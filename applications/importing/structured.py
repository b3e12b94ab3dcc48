"""Finding a schema.org JobPosting in a page: JSON-LD first, then microdata, then RDFa.

Everything returned is the page's own data, untrusted: callers turn each value into plain text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import extruct  # type: ignore[import-untyped]
import lxml.etree  # type: ignore[import-untyped]
from extruct.utils import parse_xmldom_html  # type: ignore[import-untyped]

FoundIn = Literal["json-ld", "microdata", "rdfa"]

# JSON-LD nests (graphs, lists, mainEntity); real pages stay shallow, and a limit keeps hostile ones cheap.
_MAX_DEPTH = 12
_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
# Comments and CDATA wrappers that old templates put around the JSON inside a <script>.
_WRAPPER_RE = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")


@dataclass(frozen=True)
class Found:
    posting: dict[str, Any]
    found_in: FoundIn
    # The description as the page's HTML, when the markup has it (microdata and RDFa carry it in an
    # element; extruct would give us only its flattened text, without headings or bullets).
    description_html: str | None
    # Every JSON-LD node with an "@id", so that references ({"@id": "#org"}) can be followed.
    nodes: dict[str, dict[str, Any]]


def parse_tree(html: str) -> Any | None:
    """An lxml tree extruct can read for all three syntaxes, or None for a page lxml cannot parse."""
    if not html.strip():
        return None
    try:
        # Bytes with an explicit encoding: lxml refuses a str that declares its own (<?xml encoding=...?>).
        return parse_xmldom_html(html.encode("utf-8", errors="replace"), encoding="UTF-8")
    except (ValueError, lxml.etree.LxmlError):
        return None


def page_language(tree: Any) -> str:
    for value in tree.xpath("//html/@lang | //html/@xml:lang"):
        if str(value).strip():
            return str(value).strip()
    return ""


def find_job_posting(tree: Any, base_url: str) -> Found | None:
    found = _from_json_ld(tree)
    if found is not None:
        return found
    syntaxes = ["microdata"]
    # RDFa goes through rdflib, seconds on a large page: only when the page declares a JobPosting in it.
    rdfa_element = _rdfa_job_posting_element(tree)
    if rdfa_element is not None:
        syntaxes.append("rdfa")
    try:
        data = extruct.extract(
            tree,
            base_url=base_url,
            syntaxes=syntaxes,
            uniform=True,
            errors="ignore",
            return_html_node=True,
        )
    except Exception:  # a third-party parser on hostile markup: no data is the answer
        return None
    for item in data.get("microdata", []):
        posting = _find(item, 0)
        if posting is not None:
            node = posting.pop("htmlNode", None)
            description = _description_element(node, "itemscope", "itemprop") if node is not None else None
            return Found(_without_nodes(posting), "microdata", description, {})
    rdfa = _compact_rdfa(data.get("rdfa", []))
    for item in rdfa:
        if _is_job_posting(item.get("@type")) and rdfa_element is not None:
            description = _description_element(rdfa_element, "typeof", "property")
            return Found(item, "rdfa", description, {})
    return None


def find_job_posting_in_json(text: str) -> Found | None:
    """A JobPosting in a JSON-LD document (a page served as application/ld+json)."""
    document = _load_json(text)
    if document is None:
        return None
    posting = _find(document, 0)
    if posting is None:
        return None
    return Found(posting, "json-ld", None, _index(document))


def deref(value: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    """The node a JSON-LD reference ({"@id": "..."}) points to, or the value itself."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return nodes.get(value["@id"], value)
    return value


def _from_json_ld(tree: Any) -> Found | None:
    documents: list[Any] = []
    for script in tree.xpath("//script[@type]"):
        if str(script.get("type")).split(";")[0].strip().lower() != "application/ld+json":
            continue
        # One broken block (a stray comma in a breadcrumb) must not hide the JobPosting in the next.
        document = _load_json(script.text or "")
        if document is not None:
            documents.append(document)
    nodes: dict[str, dict[str, Any]] = {}
    for document in documents:
        nodes.update(_index(document))
    for document in documents:
        posting = _find(document, 0)
        if posting is not None:
            return Found(posting, "json-ld", None, nodes)
    return None


def _load_json(text: str) -> Any | None:
    for attempt in (text, _WRAPPER_RE.sub("", text)):
        try:
            # strict=False: raw line breaks inside strings are common in hand-written JSON-LD.
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def _is_job_posting(kind: Any) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and re.split(r"[/:#]", k)[-1] == "JobPosting" for k in kinds)


def _find(node: Any, depth: int) -> dict[str, Any] | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, dict):
        if _is_job_posting(node.get("@type")):
            return node
        children: Any = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, depth + 1)
        if found is not None:
            return found
    return None


def _index(node: Any, depth: int = 0) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if depth > _MAX_DEPTH:
        return found
    if isinstance(node, dict):
        if isinstance(node.get("@id"), str) and set(node) - {"@id", "@type"}:
            found[node["@id"]] = node
        children: Any = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return found
    for child in children:
        found.update(_index(child, depth + 1))
    return found


def _without_nodes(value: Any) -> Any:
    """extruct's data without the lxml elements it attached to nested items."""
    if isinstance(value, dict):
        return {key: _without_nodes(item) for key, item in value.items() if key != "htmlNode"}
    if isinstance(value, list):
        return [_without_nodes(item) for item in value]
    return value


def _compact_rdfa(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """extruct's RDFa (expanded JSON-LD, full IRIs, every value a list) in the shape of JSON-LD we read."""
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": [_schema_name(kind) or kind for kind in node.get("@type", [])]}
        for key, values in node.items():
            name = _schema_name(key)
            if name is None or not isinstance(values, list):
                continue
            items: list[Any] = []
            for value in values:
                if isinstance(value, dict) and "@value" in value:
                    items.append(value["@value"])
                elif isinstance(value, dict) and value.get("@id") in index and depth < _MAX_DEPTH:
                    items.append(compact(index[value["@id"]], depth + 1))
            if items:
                out[name] = items[0] if len(items) == 1 else items
        return out

    return [compact(node, 0) for node in nodes]


def _schema_name(key: str) -> str | None:
    for prefix in _SCHEMA_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return None


def _rdfa_job_posting_element(tree: Any) -> Any | None:
    for element in tree.xpath("//*[contains(@typeof, 'JobPosting')]"):
        if _is_job_posting(str(element.get("typeof")).split()):
            return element
    return None


def _description_element(scope: Any, scope_attribute: str, property_attribute: str) -> str | None:
    """The HTML of the `description` property that belongs to `scope` itself (not to a nested item,
    such as the hiring organisation's own description)."""
    for element in scope.iterdescendants():
        names = [_schema_name(name) or name for name in str(element.get(property_attribute) or "").split()]
        if "description" not in names:
            continue
        owner = element.getparent()
        while owner is not None and owner is not scope and owner.get(scope_attribute) is None:
            owner = owner.getparent()
        if owner is scope:
            html: str = lxml.etree.tostring(element, encoding="unicode", method="html", with_tail=False)
            return html
    return None
