"""SVG for one BPMN shape (task, event, gateway, data, pool, lane, annotation, group).

Nothing from the source file reaches the SVG except numbers (parsed as floats) and text
(escaped): ids go only into the escaped `data-element-id` value, and class names come from
fixed tables, so a hostile name or id cannot add attributes, links or markup.  Every shape
carries presentation attributes as well as classes, so the picture is right without
diagram.css; the stylesheet only refines colours and adds the pulse.
"""

from __future__ import annotations

from webapp.diagram_icons import INK, PAPER, activity_markers, badge, event_glyph, gateway_glyph, task_glyph
from webapp.diagram_model import (
    DATA_OBJECTS,
    DATA_STORES,
    EVENTS,
    GATEWAYS,
    PROBLEM,
    STATE_PAINT,
    SUBPROCESSES,
    TASKS,
    TRIGGER_CLASS,
    Ctx,
    Node,
    paint,
    rect,
)
from webapp.diagram_text import LINE_HEIGHT, num, text_block, wrap


def _extras(n: Node, ctx: Ctx, state: str, *, badges: bool = True) -> str:
    """Problem outline and state badges: marks that stay visible in greyscale print."""
    out = []
    if n.ref in ctx.problems:
        out.append(
            f'<rect class="bpmn-problem-outline" {rect(n.x - 5, n.y - 5, n.w + 10, n.h + 10, 6)} fill="none" '
            f'stroke="{PROBLEM}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
    if badges:
        bx, by = n.x + n.w - 2, n.y + 2
        if state:
            out.append(badge(state, bx, by))
        if n.ref in ctx.problems:
            out.append(badge("problem", bx - (16 if state else 0), by))
    return "".join(out)


def _external_label(n: Node, ctx: Ctx) -> str:
    if not n.name.strip():
        return ""
    if n.label is not None:
        lx, ly, lw, lh = n.label
        lines = wrap(n.name, max(lw + 6, 90.0))
        cx, top = lx + lw / 2, ly
    else:
        lines = wrap(n.name, 90.0)
        cx, top = n.x + n.w / 2, n.y + n.h + 5
    width = max(90.0, n.label[2] if n.label else 0.0)
    ctx.grow(cx - width / 2, top, width, len(lines) * LINE_HEIGHT)
    return text_block(lines, cx, top, halo=True)


def _inside_label(n: Node, *, bottom_reserve: float = 0.0, icon: bool = False) -> str:
    if not n.name.strip():
        return ""
    # Keep clear of the type icon: below it in a tall task, beside it in a flat one.
    top_reserve = 14.0 if icon and n.h >= 64 else 0.0
    left_reserve = 18.0 if icon and not top_reserve else 0.0
    avail_h = n.h - 8 - bottom_reserve - top_reserve
    lines = wrap(n.name, n.w - 10 - left_reserve, max(int(avail_h // LINE_HEIGHT), 1))
    if top_reserve and len(lines) * LINE_HEIGHT <= avail_h - top_reserve:
        top_reserve, avail_h = 0.0, avail_h + top_reserve  # short names stay centred
    top = n.y + 4 + top_reserve + (avail_h - len(lines) * LINE_HEIGHT) / 2
    return text_block(lines, n.x + left_reserve / 2 + n.w / 2, top)


def draw_node(n: Node, ctx: Ctx) -> str:
    ctx.grow(n.x, n.y, n.w, n.h)
    kind = n.kind
    if kind in TASKS or (kind in SUBPROCESSES and not n.expanded):
        return _activity(n, ctx)
    if kind in SUBPROCESSES:
        return _expanded(n, ctx)
    if kind in EVENTS:
        return _event(n, ctx)
    if kind in GATEWAYS:
        return _gateway(n, ctx)
    if kind in DATA_OBJECTS:
        return _data_object(n, ctx)
    if kind in DATA_STORES:
        return _data_store(n, ctx)
    if kind in ("participant", "process", "lane"):
        return _pool_or_lane(n, ctx)
    if kind == "textAnnotation":
        return _annotation(n, ctx)
    if kind == "group":
        return _group(n, ctx)
    state = ctx.state(n.ref)
    return (
        ctx.open(n.ref, kind, n.name)
        + f'<rect class="bpmn-shape" {rect(n.x, n.y, n.w, n.h, 4)} {paint(state)} stroke-dasharray="4 3"/>'
        + _inside_label(n)
        + _extras(n, ctx, state)
        + "</g>"
    )


def _activity(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    base = 4.0 if n.kind == "callActivity" else 1.5
    dash = ' stroke-dasharray="1.5 3" stroke-linecap="round"' if n.event_sub else ""
    out = [
        ctx.open(n.ref, n.kind, n.name),
        f'<rect class="bpmn-shape" {rect(n.x, n.y, n.w, n.h, 10)} {paint(state, base)}{dash}/>',
    ]
    if n.kind == "transaction":
        out.append(_inner_border(n, state))
    glyph = task_glyph(n.kind, n.x, n.y)
    out.append(glyph)
    out.append(activity_markers(list(n.markers), n.x + n.w / 2, n.y + n.h))
    out.append(_inside_label(n, bottom_reserve=14.0 if n.markers else 0.0, icon=bool(glyph)))
    out.append(_extras(n, ctx, state))
    out.append("</g>")
    return "".join(out)


def _inner_border(n: Node, state: str) -> str:
    stroke = STATE_PAINT[state][1]
    return (
        f'<rect class="bpmn-shape-line" {rect(n.x + 3, n.y + 3, n.w - 6, n.h - 6, 8)} fill="none" '
        f'stroke="{stroke}" stroke-width="1.5"/>'
    )


def _expanded(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    dash = ' stroke-dasharray="1.5 3" stroke-linecap="round"' if n.event_sub else ""
    out = [
        ctx.open(n.ref, n.kind, n.name, "is-expanded"),
        f'<rect class="bpmn-shape" {rect(n.x, n.y, n.w, n.h, 10)} {paint(state)}{dash}/>',
    ]
    if n.kind == "transaction":
        out.append(_inner_border(n, state))
    markers = [m for m in n.markers if m != "subprocess"]
    out.append(activity_markers(markers, n.x + n.w / 2, n.y + n.h))
    if n.name.strip():
        out.append(text_block(wrap(n.name, n.w - 20, 3), n.x + 10, n.y + 6, anchor="start"))
    out.append(_extras(n, ctx, state))
    out.append("</g>")
    return "".join(out)


def _event(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    r = min(n.w, n.h) / 2
    cx, cy = n.x + n.w / 2, n.y + n.h / 2
    kind = n.kind
    interrupting = n.el is None or (
        n.el.get("cancelActivity", "true") != "false" and n.el.get("isInterrupting", "true") != "false"
    )
    dash = "" if interrupting else ' stroke-dasharray="5 3"'
    base = 4.0 if kind == "endEvent" else 1.5
    c = f'cx="{num(cx)}" cy="{num(cy)}"'
    throwing = kind in ("endEvent", "intermediateThrowEvent", "implicitThrowEvent")
    triggers = n.triggers
    trigger = triggers[0] if len(triggers) == 1 else ("multiple" if triggers else "")
    if n.el is not None and len(triggers) > 1 and n.el.get("parallelMultiple") == "true":
        trigger = "parallelMultiple"
    out = [
        ctx.open(n.ref, kind, n.name, TRIGGER_CLASS.get(trigger, "")),
        f'<circle class="bpmn-shape" {c} r="{num(r)}" {paint(state, base)}{dash}/>',
    ]
    if kind not in ("startEvent", "endEvent"):
        stroke = STATE_PAINT[state][1]
        out.append(
            f'<circle class="bpmn-shape-line" {c} r="{num(max(r - 3, 1))}" fill="none" stroke="{stroke}" '
            f'stroke-width="1.5"{dash}/>'
        )
    if trigger:
        out.append(event_glyph(trigger, cx, cy, r / 18, throwing))
    out.append(_external_label(n, ctx))
    out.append(_extras(n, ctx, state))
    out.append("</g>")
    return "".join(out)


def _gateway(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    cx, cy = n.x + n.w / 2, n.y + n.h / 2
    pts = f"{num(cx)},{num(n.y)} {num(n.x + n.w)},{num(cy)} {num(cx)},{num(n.y + n.h)} {num(n.x)},{num(cy)}"
    key = n.kind
    if key == "eventBasedGateway" and n.el is not None:
        if n.el.get("eventGatewayType") == "Parallel":
            key = "eventBasedGateway.parallel"
        elif n.el.get("instantiate") == "true":
            key = "eventBasedGateway.instantiate"
    return "".join(
        (
            ctx.open(n.ref, n.kind, n.name),
            f'<polygon class="bpmn-shape" points="{pts}" {paint(state)} stroke-linejoin="round"/>',
            gateway_glyph(key, cx, cy, min(n.w, n.h) / 50),
            _external_label(n, ctx),
            _extras(n, ctx, state),
            "</g>",
        )
    )


def _data_object(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    x, y, w, h = n.x, n.y, n.w, n.h
    f = min(w, h) * 0.28
    page = f"M{num(x)},{num(y)} L{num(x + w - f)},{num(y)} L{num(x + w)},{num(y + f)} L{num(x + w)},{num(y + h)} L{num(x)},{num(y + h)} Z"
    fold = f"M{num(x + w - f)},{num(y)} L{num(x + w - f)},{num(y + f)} L{num(x + w)},{num(y + f)}"
    out = [
        ctx.open(n.ref, n.kind, n.name),
        f'<path class="bpmn-shape" d="{page}" {paint(state)} stroke-linejoin="round"/>',
        f'<path class="bpmn-shape-line" d="{fold}" fill="none" stroke="{STATE_PAINT[state][1]}" stroke-width="1.5"/>',
    ]
    if n.kind in ("dataInput", "dataOutput"):
        fill = INK if n.kind == "dataOutput" else PAPER
        out.append(
            f'<path class="bpmn-icon" transform="translate({num(x + 4)} {num(y + 4)})" '
            f'd="M0,3 L6,3 L6,0 L11,5 L6,10 L6,7 L0,7 Z" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
        )
    if "parallel" in n.markers:
        out.append(activity_markers(["parallel"], x + w / 2, y + h + 2))
    out.append(_external_label(n, ctx))
    out.append(_extras(n, ctx, state))
    out.append("</g>")
    return "".join(out)


def _data_store(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    x, y, w, h = n.x, n.y, n.w, n.h
    rx, ry = w / 2, min(h * 0.12, 8.0)
    arc = f"A{num(rx)},{num(ry)} 0 0 0 {num(x + w)},"
    body = (
        f"M{num(x)},{num(y + ry)} {arc}{num(y + ry)} L{num(x + w)},{num(y + h - ry)} "
        f"A{num(rx)},{num(ry)} 0 0 1 {num(x)},{num(y + h - ry)} Z"
    )
    lid = f"M{num(x)},{num(y + ry)} A{num(rx)},{num(ry)} 0 0 1 {num(x + w)},{num(y + ry)}"
    rings = " ".join(f"M{num(x)},{num(y + ry + d)} {arc}{num(y + ry + d)}" for d in (ry * 0.8, ry * 1.6))
    stroke = STATE_PAINT[state][1]
    return "".join(
        (
            ctx.open(n.ref, n.kind, n.name),
            f'<path class="bpmn-shape" d="{body}" {paint(state)}/>',
            f'<path class="bpmn-shape-line" d="{lid} {rings}" fill="none" stroke="{stroke}" stroke-width="1.5"/>',
            _external_label(n, ctx),
            _extras(n, ctx, state),
            "</g>",
        )
    )


def _pool_or_lane(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    is_lane = n.kind == "lane"
    black_box = n.kind == "participant" and n.el is not None and not n.el.get("processRef")
    out = [
        ctx.open(n.ref, n.kind, n.name),
        f'<rect class="bpmn-shape" {rect(n.x, n.y, n.w, n.h)} {paint(state, 1.0 if is_lane else 1.5, "none" if is_lane else None)}/>',
    ]
    name = n.name.strip()
    stroke = STATE_PAINT[state][1]
    if black_box:
        out.append(_inside_label(n))
    elif n.horizontal:
        if not is_lane:
            out.append(
                f'<path class="bpmn-shape-line" d="M{num(n.x + 30)},{num(n.y)} L{num(n.x + 30)},{num(n.y + n.h)}" '
                f'stroke="{stroke}" stroke-width="1.5"/>'
            )
        if name:
            lines = wrap(name, n.h - 10, 2)
            cx, cy = n.x + 15, n.y + n.h / 2
            top = cy - len(lines) * LINE_HEIGHT / 2
            # Written bottom-to-top, centred in the 30px band on the left.
            out.append(text_block(lines, cx, top, transform=f"rotate(-90 {num(cx)} {num(cy)})"))
    else:
        if not is_lane:
            out.append(
                f'<path class="bpmn-shape-line" d="M{num(n.x)},{num(n.y + 30)} L{num(n.x + n.w)},{num(n.y + 30)}" '
                f'stroke="{stroke}" stroke-width="1.5"/>'
            )
        if name:
            lines = wrap(name, n.w - 10, 2)
            out.append(text_block(lines, n.x + n.w / 2, n.y + 15 - len(lines) * LINE_HEIGHT / 2))
    out.append(_extras(n, ctx, state, badges=False))
    out.append("</g>")
    return "".join(out)


def _annotation(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    x, y, h = n.x, n.y, n.h
    stroke = STATE_PAINT[state][1]
    lines = wrap(n.name, n.w - 10, max(int((h - 6) // LINE_HEIGHT), 1)) if n.name.strip() else []
    return "".join(
        (
            ctx.open(n.ref, n.kind, n.name),
            f'<rect class="bpmn-hit" {rect(x, y, n.w, h)} fill="{PAPER}" fill-opacity="0"/>',
            f'<path class="bpmn-shape-line" d="M{num(x + 10)},{num(y)} L{num(x)},{num(y)} L{num(x)},{num(y + h)} '
            f'L{num(x + 10)},{num(y + h)}" fill="none" stroke="{stroke}" stroke-width="1.5"/>',
            text_block(lines, x + 5, y + 4, anchor="start"),
            _extras(n, ctx, state, badges=False),
            "</g>",
        )
    )


def _group(n: Node, ctx: Ctx) -> str:
    state = ctx.state(n.ref)
    stroke = STATE_PAINT[state][1]
    out = [
        ctx.open(n.ref, n.kind, n.name),
        f'<rect class="bpmn-shape-line" {rect(n.x, n.y, n.w, n.h, 10)} fill="none" stroke="{stroke}" '
        'stroke-width="1.5" stroke-dasharray="10 4 2 4"/>',
    ]
    if n.name.strip():
        if n.label is not None:
            lx, ly, lw, _ = n.label
            out.append(text_block(wrap(n.name, max(lw + 6, 60.0)), lx + lw / 2, ly, halo=True))
        else:
            out.append(text_block(wrap(n.name, n.w - 20, 2), n.x + n.w / 2, n.y + 6, halo=True))
    out.append(_extras(n, ctx, state, badges=False))
    out.append("</g>")
    return "".join(out)
