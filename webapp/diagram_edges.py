"""SVG for BPMN connections: sequence and message flows, associations, and their arrowheads."""

from __future__ import annotations

from webapp.diagram_icons import INK, PAPER
from webapp.diagram_model import PROBLEM, STATE_PAINT, Ctx, Edge, rect
from webapp.diagram_text import LINE_HEIGHT, num, text_block, wrap


def _midpoint(points: list[tuple[float, float]]) -> tuple[float, float]:
    lengths = [abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:], strict=False)]
    half = sum(lengths) / 2
    for (a, b), length in zip(zip(points, points[1:], strict=False), lengths, strict=True):
        if half <= length and length:
            t = half / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        half -= length
    return points[0]


def draw_edge(e: Edge, ctx: Ctx) -> str:
    if len(e.points) < 2:
        return ""
    state = ctx.state(e.ref)
    _, stroke, width = STATE_PAINT[state]
    p = ctx.prefix
    attrs = ""
    if e.kind == "messageFlow":
        attrs = f' stroke-dasharray="10 6" marker-start="url(#{p}-msg-start)" marker-end="url(#{p}-msg-end)"'
    elif e.kind in ("association", "conversationLink"):
        attrs = ' stroke-dasharray="1 5" stroke-linecap="round"'
        if e.directed:
            attrs += f' marker-end="url(#{p}-open)"'
        width = max(width - 0.5, 1.0) if not state else width
    elif e.kind in ("dataInputAssociation", "dataOutputAssociation"):
        attrs = f' stroke-dasharray="1 5" stroke-linecap="round" marker-end="url(#{p}-open)"'
    else:
        attrs = f' marker-end="url(#{p}-arrow{"-" + state if state else ""})"'
        if e.start:
            attrs += f' marker-start="url(#{p}-{e.start})"'
    xs = [pt[0] for pt in e.points]
    ys = [pt[1] for pt in e.points]
    ctx.grow(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    points = " ".join(f"{num(x)},{num(y)}" for x, y in e.points)
    out = [
        ctx.open(e.ref, e.kind, e.name),
        f'<polyline class="bpmn-line" points="{points}" fill="none" stroke="{stroke}" '
        f'stroke-width="{num(width)}" stroke-linejoin="round"{attrs}/>',
    ]
    if e.name.strip():
        if e.label is not None:
            lx, ly, lw, _ = e.label
            lines = wrap(e.name, max(lw + 6, 90.0))
            cx, top = lx + lw / 2, ly
        else:
            lines = wrap(e.name, 90.0)
            mx, my = _midpoint(e.points)
            cx, top = mx, my - 4 - len(lines) * LINE_HEIGHT
        ctx.grow(cx - 45, top, 90, len(lines) * LINE_HEIGHT)
        out.append(text_block(lines, cx, top, halo=True))
    if e.ref in ctx.problems:
        x0, y0 = min(xs) - 5, min(ys) - 5
        out.append(
            f'<rect class="bpmn-problem-outline" {rect(x0, y0, max(xs) - x0 + 5, max(ys) - y0 + 5, 6)} '
            f'fill="none" stroke="{PROBLEM}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
    out.append("</g>")
    return "".join(out)


def marker_defs(prefix: str) -> str:
    """Arrowheads, one per mark colour: SVG 1.1 markers cannot take the line's colour."""
    parts = ["<defs>"]
    common = 'orient="auto" markerUnits="userSpaceOnUse"'
    for state, (_, stroke, _) in STATE_PAINT.items():
        suffix = f"-{state}" if state else ""
        parts.append(
            f'<marker id="{prefix}-arrow{suffix}" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" '
            f'markerHeight="12" {common}><path class="bpmn-arrow" d="M0.5,2 L11,6 L0.5,10 Z" fill="{stroke}" '
            f'stroke="{stroke}" stroke-width="1" stroke-linejoin="round"/></marker>'
        )
    parts.append(
        f'<marker id="{prefix}-default" viewBox="0 0 20 20" refX="0" refY="10" markerWidth="20" markerHeight="20" '
        f'{common}><path d="M7,4 L13,16" stroke="{INK}" stroke-width="1.5"/></marker>'
        f'<marker id="{prefix}-conditional" viewBox="0 0 20 20" refX="1" refY="10" markerWidth="20" '
        f'markerHeight="20" {common}><path d="M1,10 L9,5.5 L17,10 L9,14.5 Z" fill="{PAPER}" stroke="{INK}" '
        'stroke-width="1.3"/></marker>'
        f'<marker id="{prefix}-msg-start" viewBox="0 0 12 12" refX="6" refY="6" markerWidth="12" markerHeight="12" '
        f'{common}><circle cx="6" cy="6" r="4" fill="{PAPER}" stroke="{INK}" stroke-width="1.3"/></marker>'
        f'<marker id="{prefix}-msg-end" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" '
        f'{common}><path d="M0.5,2 L11,6 L0.5,10 Z" fill="{PAPER}" stroke="{INK}" stroke-width="1.2" '
        'stroke-linejoin="round"/></marker>'
        f'<marker id="{prefix}-open" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" '
        f'{common}><path d="M1,1.5 L11,6 L1,10.5" fill="none" stroke="{INK}" stroke-width="1.3" '
        'stroke-linejoin="round"/></marker>'
    )
    parts.append("</defs>")
    return "".join(parts)
