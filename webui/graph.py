"""An SVG picture of a document's citation neighbourhood, two hops out.

Nodes are archived documents (linked to their pages) or cited documents not in the archive;
an arrow goes from the citing letter to the cited one. The layout is concentric: the document
in the middle, its direct neighbours on an inner ring, their neighbours on the outer ring.
All text is escaped; presentation attributes only (the CSP forbids inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from markupsafe import Markup

from ingest import CatalogStore

from .citation_views import cited_keys, summary

MAX_NODES = 40
MAX_FIRST_RING = 24  # leave room for the second hop
RINGS = (0, 170, 310)
NODE_SPACING = 80  # px of ring circumference per node
MARGIN_X, MARGIN_Y, MIN_WIDTH, MIN_HEIGHT = 120, 50, 520, 300
COLORS = {"center": "#b42318", "archived": "#1d4ed8", "missing": "#ffffff"}


@dataclass
class Node:
    key: str  # "doc:<id>" or "key:<cited key>"
    hop: int
    label: str
    title: str
    doc_id: str | None = None
    parent: str | None = None
    x: float = 0.0
    y: float = 0.0
    label_below: bool = True


@dataclass
class Neighbourhood:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)  # (citing, cited)
    truncated: bool = False
    first_ring: int = 0

    def add(self, node: Node) -> bool:
        if node.key in self.nodes:
            return False
        if len(self.nodes) >= MAX_NODES or (node.hop == 1 and self.first_ring >= MAX_FIRST_RING):
            self.truncated = True
            return False
        self.nodes[node.key] = node
        self.first_ring += node.hop == 1
        return True

    def link(self, citing: str, cited: str) -> None:
        if citing in self.nodes and cited in self.nodes and citing != cited:
            self.edges.add((citing, cited))


def _doc_node(row: dict[str, Any], hop: int, parent: str | None) -> Node:
    parts = [row.get("doc_type"), row.get("reference"), row.get("issuer"), row.get("subject")]
    return Node(
        key=f"doc:{row['id']}",
        hop=hop,
        label=row.get("reference") or row.get("doc_type") or row["id"],
        title=" — ".join(str(p) for p in parts if p) or row["id"],
        doc_id=row["id"],
        parent=parent,
    )


def _expand(catalog: CatalogStore, graph: Neighbourhood, node: Node, hop: int) -> list[Node]:
    """Add the documents `node` cites and the letters citing it; return the new archived ones."""
    added: list[Node] = []
    for key, reference, _relation in cited_keys(catalog, node.doc_id or ""):
        ids = catalog.documents_with_key(key)
        row = summary(catalog, ids[0]) if ids else None
        if row:
            target = _doc_node(row, hop, node.key)
        else:
            title = f"{reference} (chưa có trong kho)"
            target = Node(f"key:{key}", hop, reference, title, None, node.key)
        if graph.add(target) and target.doc_id:
            added.append(target)
        graph.link(node.key, target.key)
    own = summary(catalog, node.doc_id or "")
    if own and own.get("ref_key"):
        for row in catalog.citing(own["ref_key"]):
            citing = _doc_node(row, hop, node.key)
            if graph.add(citing):
                added.append(citing)
            graph.link(citing.key, node.key)
    return added


def neighbourhood(catalog: CatalogStore, document: dict[str, Any], hops: int = 2) -> Neighbourhood:
    graph = Neighbourhood()
    center = _doc_node(document, 0, None)
    graph.add(center)
    frontier = [center]
    for hop in range(1, hops + 1):
        frontier = [new for node in frontier for new in _expand(catalog, graph, node, hop)]
    return graph


def layout(graph: Neighbourhood) -> None:
    """Place each ring's nodes evenly, the outer ring ordered by its parents' angles."""
    order: dict[str, int] = {}
    inner = 0.0
    for hop, least in enumerate(RINGS):
        ring = [n for n in graph.nodes.values() if n.hop == hop]
        ring.sort(key=lambda n: order.get(n.parent or "", 0))
        radius = max(least, len(ring) * NODE_SPACING / (2 * math.pi), inner + 140) if hop else 0
        inner = radius
        for index, node in enumerate(ring):
            node.label_below = index % 2 == 0 or hop < 2
            angle = 2 * math.pi * index / max(1, len(ring)) - math.pi / 2 + hop * 0.35
            node.x = radius * math.cos(angle)
            node.y = radius * math.sin(angle)
            order[node.key] = index


def _edge_svg(a: Node, b: Node) -> Markup:
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    shrink = 13 / length  # stop the arrow at the node's circle
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#94a3b8" '
        'stroke-width="1.4" marker-end="url(#arrow)"/>'
    ).format(a.x, a.y, b.x - dx * shrink, b.y - dy * shrink)


def _node_svg(node: Node) -> Markup:
    kind = "center" if node.hop == 0 else "archived" if node.doc_id else "missing"
    stroke = "#64748b" if kind == "missing" else COLORS[kind]
    dash = ' stroke-dasharray="3 2"' if kind == "missing" else ""
    label = node.label if len(node.label) <= 24 else node.label[:23] + "…"
    body = Markup(
        '<title>{}</title><circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}" stroke="{}" '
        'stroke-width="2"{}/><text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="13" '
        'fill="#0f172a">{}</text>'
    ).format(
        node.title, node.x, node.y, 12 if kind == "center" else 9, COLORS[kind], stroke,
        Markup(dash), node.x, node.y + (26 if node.label_below else -16), label,
    )
    if node.doc_id and node.hop:
        href = url_for("documents.document_page", raw_id=node.doc_id)
        return Markup('<a href="{}" target="_top">{}</a>').format(href, body)
    return Markup("<g>{}</g>").format(body)


def view_box(graph: Neighbourhood) -> tuple[float, float, float, float]:
    """The nodes' bounding box with room for labels and the legend (small graphs zoom in)."""
    xs = [n.x for n in graph.nodes.values()]
    ys = [n.y for n in graph.nodes.values()]
    left, right = min(xs) - MARGIN_X, max(xs) + MARGIN_X
    top, bottom = min(ys) - MARGIN_Y, max(ys) + MARGIN_Y + 30
    width = max(right - left, MIN_WIDTH)
    height = max(bottom - top, MIN_HEIGHT)
    return (left + (right - left - width) / 2, top + (bottom - top - height) / 2, width, height)


def render_svg(graph: Neighbourhood) -> str:
    layout(graph)
    x, y, width, height = view_box(graph)
    edges = [_edge_svg(graph.nodes[a], graph.nodes[b]) for a, b in sorted(graph.edges)]
    nodes = [_node_svg(node) for node in graph.nodes.values()]
    header = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x:.0f} {y:.0f} {w:.0f} {h:.0f}" '
        'width="{w:.0f}" height="{h:.0f}" '
        'font-family="system-ui, \'Segoe UI\', Roboto, \'Noto Sans\', Arial, sans-serif" '
        'role="img" aria-label="Đồ thị trích dẫn">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#94a3b8"/></marker></defs>'
        '<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/>'
    ).format(x=x, y=y, w=width, h=height)
    more = " Chỉ hiển thị một phần các văn bản liên quan." if graph.truncated else ""
    legend = Markup(
        '<text x="{:.0f}" y="{:.0f}" font-size="12" fill="#475569">Mũi tên: văn bản trích dẫn → '
        "văn bản được trích dẫn. Nét đứt: chưa có trong kho.{}</text>"
    ).format(x + 12, y + height - 12, more)
    return str(header + Markup("").join(edges + nodes) + legend + Markup("</svg>"))


def citation_graph_svg(catalog: CatalogStore, document: dict[str, Any]) -> str:
    return render_svg(neighbourhood(catalog, document))
