"""Text for the server-drawn BPMN diagram: escaping, number formatting and label wrapping.

SVG has no automatic line wrapping, and measuring real glyphs would need a font engine on
the server, so widths are estimated from a per-character table tuned for the sans-serif
faces phones and desktops fall back to.  Estimates err on the wide side: a label that wraps
one word early looks fine, one that runs over a task border does not.
"""

from __future__ import annotations

from html import escape

FONT_SIZE = 12.0
LINE_HEIGHT = 14.4
INK = "#1c2430"

# Width in em of the characters that differ most from the average lower-case letter.
_NARROW = dict.fromkeys("iljtfrI.,;:'!|()[]{} ", 0.30)
_WIDE = dict.fromkeys("mwMW@%", 0.86)


def esc(value: str) -> str:
    """Escape for both text nodes and double-quoted attributes: the source XML is untrusted."""
    return escape(value, quote=True)


def num(value: float) -> str:
    """Short, locale-independent coordinates keep a 300-element SVG small."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    total = 0.0
    for ch in text:
        w = _NARROW.get(ch) or _WIDE.get(ch)
        if w is None:
            w = 0.66 if (ch.isupper() or ch.isdigit()) else 0.54
        total += w
    return total * size


def _split_long(word: str, max_width: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch) > max_width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, max_width: float, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap; explicit newlines in a name (bpmn.io allows them) are kept."""
    max_width = max(max_width, FONT_SIZE * 2)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            # A single long word may overrun a little before it is cut: "Disposisi-
            # Kepala" on two lines reads worse than a word that touches the border.
            if text_width(word) > max_width * 1.15:
                *full, current = _split_long(word, max_width)
                lines.extend(full)
            else:
                current = word
        if current:
            lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[: max(max_lines, 1)]
        last = lines[-1]
        while last and text_width(last + "…") > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def text_block(
    lines: list[str],
    cx: float,
    top: float,
    *,
    anchor: str = "middle",
    halo: bool = False,
    transform: str = "",
) -> str:
    """One <text> with a <tspan> per line; `halo` keeps labels readable where lines cross them."""
    if not lines:
        return ""
    cls = "bpmn-label bpmn-label-outside" if halo else "bpmn-label"
    extra = ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    if transform:
        extra += f' transform="{transform}"'
    x = num(cx)
    parts = [f'<text class="{cls}" x="{x}" text-anchor="{anchor}" fill="{INK}"{extra}>']
    baseline = top + FONT_SIZE * 0.95
    for i, line in enumerate(lines):
        parts.append(f'<tspan x="{x}" y="{num(baseline + i * LINE_HEIGHT)}">{esc(line)}</tspan>')
    parts.append("</text>")
    return "".join(parts)
