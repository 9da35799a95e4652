"""An SVG picture of a document's citation neighbourhood, two hops out.

Nodes are archived documents (linked to their pages) or cited documents not in the archive;
an arrow goes from the citing letter to the cited one, coloured by the citation's relation
(ingest.extract.relations: căn cứ, thay thế, bãi bỏ …), with a legend of the relations drawn.
The layout is concentric: the document in the middle, its direct neighbours on an inner ring,
their neighbours on the outer ring; a ring's radius grows with its nodes, and labels on a
crowded ring alternate below and above their nodes, so that 50 nodes stay readable. All text
is escaped; presentation attributes only (the CSP forbids inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from markupsafe import Markup

from ingest import CatalogStore
from ingest.extract.relations import RELATIONS, relation_of

from .citation_views import cited_keys, summary

MAX_NODES = 50
MAX_FIRST_RING = 24  # leave room for the second hop
RINGS = (0, 170, 340)
NODE_SPACING = 90  # px of ring circumference per node
RING_GAP = 175  # px between rings: an inner node's label and an outer one's never meet
# A label's baseline from its node's centre: below (text under the circle) or above, a line
# further out at a time until it meets nothing (place_labels).
LABEL_BELOW, LABEL_ABOVE, LABEL_STEP, LABEL_LINES = 26, -16, 16, 4
LABEL_CHAR_PX, LABEL_HEIGHT, NODE_RADIUS = 7.5, 12, 12  # at font-size 13, for place_labels
MARGIN_X, MARGIN_Y, MIN_WIDTH, MIN_HEIGHT = 120, 50, 520, 300
COLORS = {"center": "#b42318", "archived": "#1d4ed8", "missing": "#ffffff"}
# An edge's colour by its relation: what changes the cited document's validity in reds and
# ambers, replies in green, the preamble's in blue and grey (colour-blind safe pairs apart).
EDGE_COLORS = {
    "bai_bo": "#b91c1c", "thay_the": "#e11d48", "sua_doi": "#d97706", "dinh_chinh": "#ca8a04",
    "huong_dan": "#7c3aed", "thuc_hien": "#0891b2", "tra_loi": "#15803d", "de_nghi": "#a16207",
    "can_cu": "#1d4ed8", "tham_chieu": "#94a3b8",
}
LABEL_CHARS = 22  # a node's label, cut with '…' (the whole in its tooltip)
LEGEND_LINE = 16  # px per legend line


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
    label_dy: float = LABEL_BELOW  # the label's baseline, from the node's centre


@dataclass
class Neighbourhood:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)  # (citing, cited) → relation
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

    def link(self, citing: str, cited: str, relation: str | None) -> None:
        if citing in self.nodes and cited in self.nodes and citing != cited:
            self.edges.setdefault((citing, cited), relation_of(relation).code)


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
    for key, reference, relation in cited_keys(catalog, node.doc_id or ""):
        ids = catalog.documents_with_key(key)
        row = summary(catalog, ids[0]) if ids else None
        if row:
            target = _doc_node(row, hop, node.key)
        else:
            title = f"{reference} (chưa có trong kho)"
            target = Node(f"key:{key}", hop, reference, title, None, node.key)
        if graph.add(target) and target.doc_id:
            added.append(target)
        graph.link(node.key, target.key, relation)
    own = summary(catalog, node.doc_id or "")
    if own and own.get("ref_key"):
        for row in catalog.citing(own["ref_key"]):
            citing = _doc_node(row, hop, node.key)
            if graph.add(citing):
                added.append(citing)
            graph.link(citing.key, node.key, row.get("relation"))
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
    """Place each ring's nodes evenly, the outer ring ordered by its parents' angles, then
    each label outward from the centre on the first line where it meets no label or node
    placed before it (place_labels)."""
    order: dict[str, int] = {}
    inner = 0.0
    for hop, least in enumerate(RINGS):
        ring = [n for n in graph.nodes.values() if n.hop == hop]
        ring.sort(key=lambda n: order.get(n.parent or "", 0))
        radius = max(least, len(ring) * NODE_SPACING / (2 * math.pi),
                     inner + RING_GAP) if hop else 0
        inner = radius
        for index, node in enumerate(ring):
            angle = 2 * math.pi * index / max(1, len(ring)) - math.pi / 2 + hop * 0.35
            node.x = radius * math.cos(angle)
            node.y = radius * math.sin(angle)
            order[node.key] = index
    place_labels(list(graph.nodes.values()))


Box = tuple[float, float, float, float]  # left, top, right, bottom


def label_box(node: Node) -> Box:
    """Where a node's label stands (its width estimated from its length)."""
    half = len(node_label(node)) * LABEL_CHAR_PX / 2
    baseline = node.y + node.label_dy
    return node.x - half, baseline - LABEL_HEIGHT, node.x + half, baseline + 4


def node_box(node: Node) -> Box:
    return node.x - NODE_RADIUS, node.y - NODE_RADIUS, node.x + NODE_RADIUS, node.y + NODE_RADIUS


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(nodes: list[Node]) -> None:
    """Each label on the first of LABEL_LINES lines outward from the centre (above a node in
    the upper half, below one in the lower) free of the labels placed before and of every
    node; the farthest line when none is."""
    circles = [node_box(node) for node in nodes]
    placed: list[Box] = []
    for node in nodes:
        outward = -1 if node.y < -1 else 1
        for line in range(LABEL_LINES):
            node.label_dy = (LABEL_ABOVE - line * LABEL_STEP if outward < 0
                             else LABEL_BELOW + line * LABEL_STEP)
            box = label_box(node)
            if not any(overlap(box, other) for other in placed) and not any(
                    overlap(box, circle) for circle in circles):
                break
        placed.append(label_box(node))


def _edge_svg(a: Node, b: Node, relation: str) -> Markup:
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    shrink = 13 / length  # stop the arrow at the node's circle
    width = 1.4 if relation == "tham_chieu" else 2.0
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" '
        'stroke-width="{}" marker-end="url(#arrow-{})"><title>{}</title></line>'
    ).format(a.x, a.y, b.x - dx * shrink, b.y - dy * shrink, EDGE_COLORS[relation], width,
             relation, f"{a.label} {relation_of(relation).forward} {b.label}")


def _node_svg(node: Node) -> Markup:
    kind = "center" if node.hop == 0 else "archived" if node.doc_id else "missing"
    stroke = "#64748b" if kind == "missing" else COLORS[kind]
    dash = ' stroke-dasharray="3 2"' if kind == "missing" else ""
    label = node_label(node)
    body = Markup(
        '<title>{}</title><circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}" stroke="{}" '
        'stroke-width="2"{}/><text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="13" '
        'fill="#0f172a">{}</text>'
    ).format(
        node.title, node.x, node.y, 12 if kind == "center" else 9, COLORS[kind], stroke,
        Markup(dash), node.x, node.y + node.label_dy, label,
    )
    if node.doc_id and node.hop:
        href = url_for("documents.document_page", raw_id=node.doc_id)
        return Markup('<a href="{}" target="_top">{}</a>').format(href, body)
    return Markup("<g>{}</g>").format(body)


def node_label(node: Node) -> str:
    return node.label if len(node.label) <= LABEL_CHARS else node.label[:LABEL_CHARS - 1] + "…"


def _legend_lines(graph: Neighbourhood) -> list[str]:
    """The relations drawn, in RELATIONS' order (each a line of the legend)."""
    drawn = set(graph.edges.values())
    return [code for code in RELATIONS if code in drawn]


def view_box(graph: Neighbourhood) -> tuple[float, float, float, float]:
    """The nodes' bounding box with room for labels and the legend (small graphs zoom in)."""
    xs = [n.x for n in graph.nodes.values()]
    ys = [n.y for n in graph.nodes.values()]
    left, right = min(xs) - MARGIN_X, max(xs) + MARGIN_X
    legend = 30 + LEGEND_LINE * len(_legend_lines(graph))
    top, bottom = min(ys) - MARGIN_Y, max(ys) + MARGIN_Y + legend
    width = max(right - left, MIN_WIDTH)
    height = max(bottom - top, MIN_HEIGHT)
    return (left + (right - left - width) / 2, top + (bottom - top - height) / 2, width, height)


def render_svg(graph: Neighbourhood) -> str:
    layout(graph)
    x, y, width, height = view_box(graph)
    edges = [_edge_svg(graph.nodes[a], graph.nodes[b], relation)
             for (a, b), relation in sorted(graph.edges.items())]
    nodes = [_node_svg(node) for node in graph.nodes.values()]
    header = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x:.0f} {y:.0f} {w:.0f} {h:.0f}" '
        'width="{w:.0f}" height="{h:.0f}" '
        'font-family="system-ui, \'Segoe UI\', Roboto, \'Noto Sans\', Arial, sans-serif" '
        'role="img" aria-label="Đồ thị trích dẫn">'
        '<defs>{markers}</defs>'
        '<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/>'
    ).format(x=x, y=y, w=width, h=height, markers=Markup("").join(
        Markup('<marker id="arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
               'fill="{}"/></marker>').format(code, EDGE_COLORS[code])
        for code in RELATIONS))
    more = " Chỉ hiển thị một phần các văn bản liên quan." if graph.truncated else ""
    lines = _legend_lines(graph)
    bottom = y + height - 12 - LEGEND_LINE * len(lines)
    legend = [Markup(
        '<text x="{:.0f}" y="{:.0f}" font-size="12" fill="#475569">Mũi tên: văn bản trích dẫn → '
        "văn bản được trích dẫn, màu theo quan hệ. Nét đứt: chưa có trong kho.{}</text>"
    ).format(x + 12, bottom, more)]
    for row, code in enumerate(lines, 1):
        line_y = bottom + row * LEGEND_LINE
        legend.append(Markup(
            '<g class="legend"><line x1="{:.0f}" y1="{:.0f}" x2="{:.0f}" y2="{:.0f}" stroke="{}" '
            'stroke-width="3"/><text x="{:.0f}" y="{:.0f}" font-size="12" fill="#334155">{}'
            "</text></g>"
        ).format(x + 12, line_y - 4, x + 40, line_y - 4, EDGE_COLORS[code], x + 48, line_y,
                 relation_of(code).forward))
    return str(header + Markup("").join(edges + nodes + legend) + Markup("</svg>"))


def citation_graph_svg(catalog: CatalogStore, document: dict[str, Any]) -> str:
    return render_svg(neighbourhood(catalog, document))
