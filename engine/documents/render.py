"""A letter as PDF: a sandboxed Jinja template writes a small HTML subset, fpdf2 draws it.

Why this shape: fpdf2 is pure Python (the README's two commands stay all the set-up), and its
`write_html` understands just enough HTML for a naskah dinas.  The template is a file an admin
may change per unit, so it is treated as untrusted: it runs in Jinja's (immutable) SandboxedEnvironment
with autoescape, loads only files inside the template folders, sees plain facts (facts.py),
and its output may use only the tags below.  `<img>` and `<a>` are refused, so drawing never
fetches a URL or reads a file; the kop's logo is placed by the renderer from the template
folder itself.

The template marks with `{{ stamp }}` where the signer's visible stamp and QR code go; the
renderer leaves that rectangle empty and returns it (PDF points, from the bottom-left), so
the signing step puts the PAdES appearance exactly there.  Output is deterministic: the
creation date comes from the letter, so the same letter renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import TextStyle
from jinja2 import FileSystemLoader, TemplateError, TemplateNotFound
from jinja2.environment import Environment
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from sqlalchemy.orm import Session

from engine.documents.facts import letter_facts, skpd_unit
from engine.errors import LontarError
from engine.messages import register
from engine.models import Letter

register({
    "dokumen.templat_ditolak": ("Templat naskah ditolak: {detail}", "The letter template was refused: {detail}"),
})

DEFAULT_DIR = Path(__file__).parent / "templates"
STAMP_MARK = Markup("<!--lontar:stamp-->")  # a constant: the one markup the template is given
STAMP = str(STAMP_MARK)
ALLOWED = {
    "p": {"align"}, "br": set(), "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(),
    "h1": {"align"}, "h2": {"align"}, "h3": {"align"}, "font": {"size", "color"}, "hr": set(),
    "table": {"border", "width", "align", "cellpadding"}, "thead": set(), "tbody": set(), "tr": set(),
    "td": {"width", "align", "colspan"}, "th": {"width", "align", "colspan"},
    "ul": set(), "ol": set(), "li": set(), "blockquote": set(), "sup": set(), "sub": set(),
}
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 25.0, 15.0, 20.0, 20.0  # mm
SIGN_COLUMN = 80.0  # mm from the left margin: where the signature block and the stamp start
STAMP_W, STAMP_H = 65.0, 24.0  # mm
LOGO_W = 20.0  # mm
PT_PER_MM = 72 / 25.4
LATIN1 = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-", "\u200b": ""})


class TemplateRefused(LontarError):
    """The template broke the sandbox, left its folder, or wrote something we do not draw."""

    key = "dokumen.templat_ditolak"
    http_status = 422


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    stamp_box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points from the bottom-left
    stamp_page: int  # 0-based page index of the stamp box


class _FolderLoader(FileSystemLoader):
    """FileSystemLoader that also refuses a file reached through a link out of its folder."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(root).resolve()) for root in self.searchpath):
            raise TemplateNotFound(template)
        return source, filename, uptodate


class _Checker(HTMLParser):
    """Refuses any tag or attribute outside ALLOWED (images and links above all)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            raise TemplateRefused(detail=f"<{tag}> tidak diizinkan")
        for name, _ in attrs:
            if name not in ALLOWED[tag]:
                raise TemplateRefused(detail=f'atribut {name} pada <{tag}> tidak diizinkan')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        pass


def search_folders(template_dirs: Sequence[Path], unit_codes: Sequence[str]) -> list[Path]:
    """<dir>/<UNIT_CODE>/ for each unit (the letter's, then its SKPD's), then <dir>/, then ours."""
    folders = [Path(d) / code for d in template_dirs for code in unit_codes if code and "/" not in code]
    folders += [Path(d) for d in template_dirs]
    return [f for f in dict.fromkeys([*folders, DEFAULT_DIR]) if f.is_dir()]


def choose_template(folders: Sequence[Path], jenis: str) -> str:
    """The first folder with `<jenis>.jinja` or `naskah.jinja` wins (a unit's naskah.jinja beats
    our nota_dinas.jinja: the unit's layout is the unit's)."""
    for folder in folders:
        for name in (f"{jenis}.jinja", "naskah.jinja"):
            if (folder / name).is_file():
                return name
    raise TemplateRefused(detail="naskah.jinja tidak ditemukan")


def _logo(folders: Sequence[Path], name: str) -> Path | None:
    """A logo file named in the kop setting, looked up only inside the template folders."""
    if not name or not name.lower().endswith(LOGO_SUFFIXES) or "/" in name or "\\" in name:
        return None
    for folder in folders:
        path = (folder / name).resolve()
        if path.is_file() and path.is_relative_to(folder.resolve()):
            return path
    return None


def render_html(folders: Sequence[Path], jenis: str, facts: dict[str, Any]) -> str:
    env = ImmutableSandboxedEnvironment(loader=_FolderLoader([str(f) for f in folders]), autoescape=True)
    try:
        html = env.get_template(choose_template(folders, jenis)).render(**facts, stamp=STAMP_MARK)
    except TemplateNotFound as exc:  # an include outside the folders; the message would show the paths
        raise TemplateRefused(detail=f"TemplateNotFound: {exc.name}") from exc
    except TemplateError as exc:  # SecurityError, syntax and undefined errors
        raise TemplateRefused(detail=f"{type(exc).__name__}: {exc}") from exc
    if html.count(STAMP) > 1:
        raise TemplateRefused(detail="{{ stamp }} lebih dari sekali")
    checker = _Checker(convert_charrefs=True)
    checker.feed(html)
    checker.close()
    return html.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")


def _fixed_moment(letter: Letter, signed: bool) -> datetime:
    moment = letter.signed_at if signed and letter.signed_at else letter.updated_at
    if moment is None:
        moment = datetime.combine(letter.tanggal or date(2000, 1, 1), time())
    return moment.replace(tzinfo=UTC, microsecond=0) if moment.tzinfo is None else moment.replace(microsecond=0)


def draw(html: str, *, title: str, moment: datetime, logo: Path | None) -> RenderedPdf:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(moment)
    pdf.set_title(title)
    pdf.set_lang("id")
    pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
    pdf.set_auto_page_break(True, MARGIN_BOTTOM)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    if logo is not None:
        pdf.image(str(logo), x=MARGIN_LEFT, y=MARGIN_TOP, w=LOGO_W)
    styles = {"blockquote": TextStyle(l_margin=SIGN_COLUMN, t_margin=0, b_margin=0)}
    before, _, after = html.partition(STAMP)
    pdf.write_html(before, tag_styles=styles)
    x, y = pdf.l_margin + SIGN_COLUMN, pdf.get_y() + 1
    if y + STAMP_H > pdf.h - MARGIN_BOTTOM:
        pdf.add_page()
        y = pdf.t_margin
    page = pdf.page - 1
    pdf.set_y(y + STAMP_H + 1)
    if after.strip():
        pdf.write_html(after, tag_styles=styles)
    box = (x * PT_PER_MM, (pdf.h - y - STAMP_H) * PT_PER_MM, (x + STAMP_W) * PT_PER_MM, (pdf.h - y) * PT_PER_MM)
    return RenderedPdf(bytes(pdf.output()), tuple(round(v, 2) for v in box), page)  # type: ignore[arg-type]


def render_letter(session: Session, letter: Letter, *, template_dirs: Sequence[Path] = (), signed: bool = False,
                  issuer: str = "Lontar CA") -> RenderedPdf:
    """The letter as PDF, from the unit's template if it has one, else the Pemda's, else ours.

    `signed` adds the electronic-signature footer: the signing step renders with it (after the
    number is allocated) and signs those bytes; a preview of a draft renders without it."""
    moment = _fixed_moment(letter, signed)
    skpd = skpd_unit(session, letter)
    folders = search_folders(template_dirs, list(dict.fromkeys([letter.unit.code, skpd.code])))
    facts = letter_facts(session, letter, signed=signed, issuer=issuer, on=moment.date())
    html = render_html(folders, letter.jenis, facts)
    return draw(html, title=letter.hal, moment=moment, logo=_logo(folders, facts["logo"]))
