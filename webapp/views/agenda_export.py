"""The agenda books as files: /surat/agenda/masuk.csv, masuk.xlsx, keluar.csv, keluar.xlsx
(endpoints agenda_export.masuk_csv ... keluar_xlsx).

The same filter query string as the agenda tabs of /surat, the same rows and rules
(engine.agenda_books.rows_for_export); only who keeps an agenda book (a pencatat, admin or
auditor somewhere) may ask, anyone else gets 404 as for a page that does not exist.

Both files are made for Excel as people use it in a Pemda office:

  * CSV: UTF-8 with a byte-order mark (so that Excel reads the names right), and every text
    cell that a spreadsheet would take for a formula (= + - @, tab, carriage return at the
    start) prefixed with an apostrophe: a sender named "=HYPERLINK(...)" stays text;
  * XLSX (openpyxl, streamed in write-only mode): a bold, frozen header row, column widths,
    dates and times as real dates (the Pemda's wall clock), text cells always text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, request
from flask_login import login_required
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from engine.agenda_books import BOOKS, parse_keluar_filter, rows_for_export
from engine.errors import NotFound
from engine.letter_lists import keeps_agenda, parse_agenda_filter, parse_year
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import current_lang
from webapp.views.letter_lists import labels

bp = Blueprint("agenda_export", __name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60


def guarded(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(guarded(value))


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _width(value: Any) -> int:
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    return len(str(value or ""))


def to_xlsx(rows: Sequence[Sequence[Any]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    header, body = (rows[0], rows[1:]) if rows else ((), [])
    widths = [max([len(str(h))] + [_width(r[i]) for r in body[:500]]) for i, h in enumerate(header)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(vertical="top")
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = bold, wrap
        heading.append(cell)
    sheet.append(heading)
    for row in body:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula: it stays text
    return cell


def export(book: str, fmt: str) -> Response:
    user = me()
    db, clock = session(), engine().clock
    if not keeps_agenda(db, user.id):
        raise NotFound()
    now = clock.now()
    filters, notices = parse_keluar_filter(request.args) if book == "keluar" else parse_agenda_filter(request.args)
    year = parse_year(request.args.get("tahun"), clock.local(now).year, notices)
    vocabularies = labels()

    def label(vocabulary: str, value: str | None) -> str:
        return vocabularies.get(vocabulary, {}).get(value or "", value or "")

    rows = rows_for_export(db, user.id, today(), book, year, filters, tz=clock.tz, now=now, lang=current_lang(),
                           label=label)
    name = f"agenda-{book}-{year}"
    data = to_csv(rows) if fmt == "csv" else to_xlsx(rows, name)
    response = Response(data, content_type=MIME[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _route(book: str, fmt: str) -> Callable[[], Response]:
    def view() -> Response:
        return export(book, fmt)

    view.__name__ = f"{book}_{fmt}"
    return login_required(view)


# One fixed URL per book and format (no URL parameter: nothing to guess, nothing to fill).
for _book in BOOKS:
    for _fmt in MIME:
        bp.add_url_rule(f"/surat/agenda/{_book}.{_fmt}", endpoint=f"{_book}_{_fmt}", view_func=_route(_book, _fmt))
