"""The "Surat" page: the letters for me, disposed by me, registered by me, and the agenda books.

One page, one tab at a time (`?tab=`), each a table that reads on a phone.  What a tab lists and
who may see which letter is engine.letter_lists' (through engine.letter_access); a tab the
person has no business with (the agenda for a staf) is not offered, and asking for it by URL
shows the first tab.  Rows link to the letter's own page, /surat/<id>.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import login_required

from engine.agenda_books import KELUAR_STATUSES, agenda_keluar, covered_units, parse_keluar_filter
from engine.inbox_filters import Notice
from engine.letter_lists import (
    agenda_masuk,
    disposed_by_me,
    disposed_to_me,
    is_registrar,
    keeps_agenda,
    parse_agenda_filter,
    parse_year,
    sent_by_me,
)
from engine.models import JENIS, SIFAT, URGENSI
from engine.models.letters import BRANCH_STATUSES, LETTER_STATUSES
from webapp.context import engine, me, today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext

bp = Blueprint("letter_lists", __name__)
AGENDA_PAGE = 100
TAB_FOR_ME, TAB_BY_ME, TAB_REGISTERED, TAB_AGENDA = "untuk-saya", "disposisi-saya", "registrasi-saya", "agenda"
TAB_AGENDA_KELUAR = "agenda-keluar"


def labels() -> dict[str, dict[str, str]]:
    """What a status, urgensi, sifat or jenis reads as on a page, in the reader's language."""
    return {
        "branch": {
            "belum_dibaca": gettext("Belum dibaca"),
            "dibaca": gettext("Dibaca"),
            "diteruskan": gettext("Diteruskan"),
            "ditindaklanjuti": gettext("Ditindaklanjuti"),
            "selesai": gettext("Selesai"),
            "dibatalkan": gettext("Dibatalkan"),
        },
        "letter": {
            "menunggu_disposisi": gettext("Menunggu disposisi"),
            "didisposisikan": gettext("Didisposisikan"),
            "selesai": gettext("Selesai"),
            "diarsipkan": gettext("Diarsipkan"),
            "dibatalkan": gettext("Dibatalkan"),
            "konsep": gettext("Konsep"),
            "paraf": gettext("Dalam paraf"),
            "tanda_tangan": gettext("Menunggu tanda tangan"),
            "ditandatangani": gettext("Ditandatangani"),
            "terkirim": gettext("Terkirim"),
            "ditarik": gettext("Ditarik kembali"),
        },
        "number": {"terpakai": gettext("Terpakai"), "batal": gettext("Batal")},
        "urgensi": {"biasa": gettext("Biasa"), "segera": gettext("Segera"), "sangat_segera": gettext("Sangat segera")},
        "sifat": {
            "biasa": gettext("Biasa"),
            "terbatas": gettext("Terbatas"),
            "rahasia": gettext("Rahasia"),
            "sangat_rahasia": gettext("Sangat rahasia"),
        },
        "jenis": {
            "nota_dinas": gettext("Nota dinas"),
            "memo": gettext("Memo"),
            "surat_dinas": gettext("Surat dinas"),
            "surat_undangan": gettext("Surat undangan"),
            "surat_edaran": gettext("Surat edaran"),
            "surat_keputusan": gettext("Surat keputusan"),
            "surat_perintah": gettext("Surat perintah"),
            "surat_tugas": gettext("Surat tugas"),
            "instruksi": gettext("Instruksi"),
            "peraturan": gettext("Peraturan"),
            "sop": gettext("SOP"),
            "perjanjian": gettext("Perjanjian"),
            "surat_kuasa": gettext("Surat kuasa"),
            "berita_acara": gettext("Berita acara"),
            "surat_keterangan": gettext("Surat keterangan"),
            "surat_pengantar": gettext("Surat pengantar"),
            "pengumuman": gettext("Pengumuman"),
            "laporan": gettext("Laporan"),
            "telaahan_staf": gettext("Telaahan staf"),
            "notula": gettext("Notula"),
            "lainnya": gettext("Lainnya"),
        },
    }


def choices() -> dict[str, tuple[str, ...]]:
    """The values each select of a filter bar offers, in the engine's order."""
    return {"urgensi": URGENSI, "sifat": SIFAT, "jenis": JENIS, "branch": BRANCH_STATUSES, "letter": LETTER_STATUSES,
            "keluar": KELUAR_STATUSES}


def notice_texts(notices: list[Notice]) -> list[str]:
    return [n.text(current_lang()) for n in notices]


@bp.route("/surat")
@login_required
def index() -> str:
    user = me()
    db, day, clock = session(), today(), engine().clock
    now = clock.now()
    tabs = [(TAB_FOR_ME, gettext("Untuk saya")), (TAB_BY_ME, gettext("Disposisi saya"))]
    if is_registrar(db, user.id):
        tabs.append((TAB_REGISTERED, gettext("Registrasi saya")))
    if keeps_agenda(db, user.id):
        tabs += [(TAB_AGENDA, gettext("Agenda masuk")), (TAB_AGENDA_KELUAR, gettext("Agenda keluar"))]
    tab = request.args.get("tab", TAB_FOR_ME)
    if tab not in dict(tabs):
        tab = TAB_FOR_ME
    context: dict[str, Any] = {"tabs": tabs, "tab": tab, "labels": labels(), "choices": choices(), "notices": []}
    if tab == TAB_FOR_ME:
        context["rows"] = disposed_to_me(db, user.id, day, now=now)
    elif tab == TAB_BY_ME:
        context["rows"] = disposed_by_me(db, user.id, day, now=now)
    elif tab == TAB_REGISTERED:
        context["rows"] = sent_by_me(db, user.id, day, now=now)
    else:
        keluar = tab == TAB_AGENDA_KELUAR
        filters, notices = parse_keluar_filter(request.args) if keluar else parse_agenda_filter(request.args)
        year = parse_year(request.args.get("tahun"), clock.local(now).year, notices)
        page = request.args.get("halaman", "1")
        page_no = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
        offset = (page_no - 1) * AGENDA_PAGE
        if keluar:
            rows = agenda_keluar(db, user.id, day, year, filters, limit=AGENDA_PAGE + 1, offset=offset)
            context["units"] = covered_units(db, user.id)
        else:
            rows = agenda_masuk(db, user.id, day, year, filters, now=now, tz=clock.tz, limit=AGENDA_PAGE + 1,
                                offset=offset)
        args = {k: v for k, v in request.args.items() if k != "halaman"}
        export = {k: v for k, v in args.items() if k != "tab"}
        context.update(rows=rows[:AGENDA_PAGE], filters=filters, year=year, page=page_no, args=args, export=export,
                       more=len(rows) > AGENDA_PAGE, notices=notice_texts(notices))
    return render_template("letters/list.html", **context)
