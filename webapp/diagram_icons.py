"""Small BPMN glyphs as SVG path data: event triggers, task types, gateway and activity markers.

Every glyph is drawn around a fixed local origin and placed with a transform, so the path
strings are built once at import and a 300-element diagram only formats a few numbers per
element.  Shapes follow the BPMN 2.0 notation closely enough to be recognised, not pixel for
pixel like bpmn-js.
"""

from __future__ import annotations

import math

from webapp.diagram_text import INK, num

PAPER = "#fff"


def _s(scale: float) -> str:
    return f"{scale:.3g}"


def _polygon(sides: int, radius: float, start_deg: float = -90.0) -> str:
    points = []
    for i in range(sides):
        a = math.radians(start_deg + 360.0 * i / sides)
        points.append(f"{num(radius * math.cos(a))},{num(radius * math.sin(a))}")
    return "M" + " L".join(points) + " Z"


def _clock_ticks() -> str:
    parts = []
    for i in range(12):
        a = math.radians(30.0 * i)
        r1, r2 = (7.5 if i % 3 == 0 else 8.5), 10.0
        parts.append(
            f"M{num(r1 * math.cos(a))},{num(r1 * math.sin(a))} L{num(r2 * math.cos(a))},{num(r2 * math.sin(a))}"
        )
    return " ".join(parts)


def _gear(cx: float, cy: float, outer: float, inner: float, teeth: int = 8) -> str:
    points = []
    step = 360.0 / (teeth * 4)
    for i in range(teeth * 4):
        r = outer if i % 4 in (1, 2) else inner
        a = math.radians(i * step)
        points.append(f"{num(cx + r * math.cos(a))},{num(cy + r * math.sin(a))}")
    return "M" + " L".join(points) + " Z"


# --- event trigger glyphs, centred on 0,0 for a 36x36 event -------------------------------
_PENTAGON = _polygon(5, 10.0)
_TICKS = _clock_ticks()

# Catching events draw these outlined, throwing events filled.
EVENT_GLYPHS: dict[str, str] = {
    "message": "M-9,-6.5 L9,-6.5 L9,6.5 L-9,6.5 Z M-9,-6.5 L0,0.5 L9,-6.5",
    "error": "M-9,9 L-4,-7 L1,1 L8,-10 L4,8 L-1,-1 Z",
    "signal": "M0,-10 L9.5,7 L-9.5,7 Z",
    "escalation": "M0,-10 L7.5,9 L0,2.5 L-7.5,9 Z",
    "conditional": "M-7,-9.5 L7,-9.5 L7,9.5 L-7,9.5 Z M-4.5,-5.5 L4.5,-5.5 M-4.5,-1.5 L4.5,-1.5 "
    "M-4.5,2.5 L4.5,2.5 M-4.5,6.5 L4.5,6.5",
    "compensate": "M-1,-6.5 L-9.5,0 L-1,6.5 Z M8.5,-6.5 L0,0 L8.5,6.5 Z",
    "link": "M-8,-3.5 L2,-3.5 L2,-8 L9.5,0 L2,8 L2,3.5 L-8,3.5 Z",
    "multiple": _PENTAGON,
    "parallelMultiple": "M-2.5,-9.5 L2.5,-9.5 L2.5,-2.5 L9.5,-2.5 L9.5,2.5 L2.5,2.5 L2.5,9.5 "
    "L-2.5,9.5 L-2.5,2.5 L-9.5,2.5 L-9.5,-2.5 L-2.5,-2.5 Z",
}


def event_glyph(trigger: str, cx: float, cy: float, scale: float, throwing: bool) -> str:
    """The trigger icon inside an event circle; unknown triggers draw nothing."""
    at = f'transform="translate({num(cx)} {num(cy)}) scale({_s(scale)})"'
    if trigger == "timer":
        return (
            f'<g class="bpmn-icon" {at} fill="{PAPER}" stroke="{INK}" stroke-width="1.5">'
            f'<circle r="11"/><path d="{_TICKS}" stroke-width="1"/>'
            '<path d="M0,0 L0,-7.5 M0,0 L5,3" stroke-linecap="round"/></g>'
        )
    if trigger == "terminate":
        return f'<circle class="bpmn-icon-fill" cx="{num(cx)}" cy="{num(cy)}" r="{num(11 * scale)}" fill="{INK}"/>'
    if trigger == "cancel":
        return (
            f'<path class="bpmn-icon" {at} d="M-7,-7 L7,7 M7,-7 L-7,7" fill="none" stroke="{INK}" '
            'stroke-width="3.5" stroke-linecap="round"/>'
        )
    path = EVENT_GLYPHS.get(trigger)
    if path is None:
        return ""
    if trigger == "message" and throwing:
        return (
            f'<g class="bpmn-icon-fill" {at}><path d="M-9,-6.5 L9,-6.5 L9,6.5 L-9,6.5 Z" fill="{INK}"/>'
            f'<path d="M-9,-6.5 L0,0.5 L9,-6.5" fill="none" stroke="{PAPER}" stroke-width="1.2"/></g>'
        )
    if throwing:
        return f'<path class="bpmn-icon-fill" {at} d="{path}" fill="{INK}" stroke="{INK}" stroke-linejoin="round"/>'
    return (
        f'<path class="bpmn-icon" {at} d="{path}" fill="{PAPER}" stroke="{INK}" stroke-width="1.3" '
        'stroke-linejoin="round"/>'
    )


# --- task type glyphs, in a 16x16 box placed at the task's top-left corner -----------------
_GEAR = _gear(8, 8, 7.5, 5.6)
TASK_GLYPHS: dict[str, str] = {
    "userTask": (
        f'<circle cx="8" cy="4.5" r="3.5" fill="{PAPER}"/>'
        f'<path d="M1,16 C1,10.5 4,9 8,9 C12,9 15,10.5 15,16 Z" fill="{PAPER}"/>'
        '<path d="M5,12.5 L5,16 M11,12.5 L11,16" />'
    ),
    "manualTask": (
        f'<path d="M1,8.5 C1,6.5 2.5,5 4.5,5 L14.5,5 C16,5 16,7.5 14.5,7.5 L8.5,7.5 L15,7.5 '
        "C16.5,7.5 16.5,10.2 15,10.2 L8.5,10.2 L14,10.2 C15.5,10.2 15.5,12.9 14,12.9 L8.5,12.9 "
        f'L12.5,12.9 C14,12.9 14,15.5 12.5,15.5 L5,15.5 C2.5,15.5 1,14 1,12 Z" fill="{PAPER}" '
        'stroke-linejoin="round"/>'
    ),
    "scriptTask": (
        f'<path d="M4,1 L14.5,1 C11.5,4.5 11.5,7.5 14,10.5 C16.5,13.5 14,15.5 12,15.5 L1.5,15.5 '
        f'C4.5,12 4.5,9 2,6 C-0.5,3 2,1 4,1 Z" fill="{PAPER}" stroke-linejoin="round"/>'
        '<path d="M4.5,4.5 L10.5,4.5 M5.5,7.5 L11.5,7.5 M6,10.5 L12,10.5 M5.5,13 L11,13" stroke-width="1"/>'
    ),
    "serviceTask": f'<path d="{_GEAR}" fill="{PAPER}" stroke-linejoin="round"/><circle cx="8" cy="8" r="2.6"/>',
    "sendTask": (
        f'<path d="M1,3 L15,3 L15,13 L1,13 Z" fill="{INK}"/>'
        f'<path d="M1,3 L8,8.5 L15,3" stroke="{PAPER}" stroke-width="1.2"/>'
    ),
    "receiveTask": f'<path d="M1,3 L15,3 L15,13 L1,13 Z M1,3 L8,8.5 L15,3" fill="{PAPER}"/>',
    "businessRuleTask": (
        f'<rect x="1" y="2" width="14" height="12" fill="{PAPER}"/>'
        f'<rect x="1" y="2" width="14" height="3.5" fill="{INK}"/>'
        '<path d="M1,9.5 L15,9.5 M5.5,5.5 L5.5,14" stroke-width="1"/>'
    ),
}


def task_glyph(kind: str, x: float, y: float) -> str:
    body = TASK_GLYPHS.get(kind)
    if body is None:
        return ""
    return (
        f'<g class="bpmn-icon" transform="translate({num(x + 6)} {num(y + 6)})" fill="none" '
        f'stroke="{INK}" stroke-width="1.2">{body}</g>'
    )


# --- activity markers, in a 12x12 box, drawn centred at the bottom of an activity ---------
ACTIVITY_MARKERS: dict[str, str] = {
    "subprocess": f'<rect x="0" y="0" width="12" height="12" fill="{PAPER}"/><path d="M6,2.5 L6,9.5 M2.5,6 L9.5,6"/>',
    "parallel": '<path d="M2,0.5 L2,11.5 M6,0.5 L6,11.5 M10,0.5 L10,11.5" stroke-width="2"/>',
    "sequential": '<path d="M0.5,2 L11.5,2 M0.5,6 L11.5,6 M0.5,10 L11.5,10" stroke-width="2"/>',
    "loop": '<path d="M3.2,10.5 A5,5 0 1 1 8.8,10.5" /><path d="M8.8,10.5 L8.6,7 M8.8,10.5 L12,9.3"/>',
    "adhoc": '<path d="M0.5,7.5 C2.5,3 4.5,3.5 6,6 C7.5,8.5 9.5,9 11.5,4.5" stroke-width="1.5"/>',
    "compensation": f'<path d="M5.5,2 L0.5,6 L5.5,10 Z M11.5,2 L6.5,6 L11.5,10 Z" fill="{PAPER}"/>',
}


def activity_markers(names: list[str], cx: float, bottom: float) -> str:
    """Markers side by side along the bottom edge, as BPMN places them."""
    if not names:
        return ""
    step = 15.0
    left = cx - (len(names) * step - 3) / 2
    top = bottom - 16
    parts = []
    for i, name in enumerate(names):
        body = ACTIVITY_MARKERS.get(name)
        if body:
            parts.append(
                f'<g class="bpmn-marker" transform="translate({num(left + i * step)} {num(top)})" '
                f'fill="none" stroke="{INK}" stroke-width="1.2">{body}</g>'
            )
    return "".join(parts)


# --- gateway glyphs, centred on 0,0 for a 50x50 gateway -----------------------------------
_SMALL_PENTAGON = _polygon(5, 6.5)
GATEWAY_GLYPHS: dict[str, str] = {
    "exclusiveGateway": '<path d="M-8,-8 L8,8 M8,-8 L-8,8" stroke-width="3.5" stroke-linecap="round"/>',
    "parallelGateway": '<path d="M0,-12 L0,12 M-12,0 L12,0" stroke-width="3.5" stroke-linecap="round"/>',
    "inclusiveGateway": '<circle r="10" stroke-width="2.5"/>',
    "complexGateway": (
        '<path d="M0,-12 L0,12 M-12,0 L12,0 M-8.5,-8.5 L8.5,8.5 M8.5,-8.5 L-8.5,8.5" '
        'stroke-width="2.5" stroke-linecap="round"/>'
    ),
    "eventBasedGateway": f'<circle r="11.5"/><circle r="9"/><path d="{_SMALL_PENTAGON}" stroke-linejoin="round"/>',
    "eventBasedGateway.instantiate": f'<circle r="11.5"/><path d="{_SMALL_PENTAGON}" stroke-linejoin="round"/>',
    "eventBasedGateway.parallel": (
        '<circle r="11.5"/><path d="M-1.8,-7 L1.8,-7 L1.8,-1.8 L7,-1.8 L7,1.8 L1.8,1.8 L1.8,7 L-1.8,7 '
        'L-1.8,1.8 L-7,1.8 L-7,-1.8 L-1.8,-1.8 Z" stroke-linejoin="round"/>'
    ),
}


def gateway_glyph(key: str, cx: float, cy: float, scale: float) -> str:
    body = GATEWAY_GLYPHS.get(key)
    if body is None:
        return ""
    return (
        f'<g class="bpmn-icon" transform="translate({num(cx)} {num(cy)}) scale({_s(scale)})" '
        f'fill="none" stroke="{INK}" stroke-width="1.5">{body}</g>'
    )


# --- state badges, so marks do not rely on colour alone -----------------------------------
BADGES: dict[str, tuple[str, str]] = {
    "done": ("#1d7a3a", '<path d="M-3.5,0 L-1,2.8 L3.8,-2.6" stroke-width="1.8"/>'),
    "current": ("#c26a00", '<path d="M0,-4 L0,0 L3,1.8" stroke-width="1.6"/>'),
    "failed": ("#b42318", '<path d="M-3,-3 L3,3 M3,-3 L-3,3" stroke-width="1.8"/>'),
    "problem": (
        "#b42318",
        '<path d="M0,-4.2 L0,1" stroke-width="2"/><circle cy="3.6" r="0.6" stroke-width="1.6"/>',
    ),
}


def badge(state: str, cx: float, cy: float) -> str:
    colour, body = BADGES[state]
    return (
        f'<g class="bpmn-badge bpmn-badge-{state}" transform="translate({num(cx)} {num(cy)})">'
        f'<circle r="7" fill="{colour}" stroke="{PAPER}" stroke-width="1.5"/>'
        f'<g fill="none" stroke="{PAPER}" stroke-linecap="round" stroke-linejoin="round">{body}</g></g>'
    )
