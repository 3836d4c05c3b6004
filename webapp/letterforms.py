"""The forms of the letter pages: registering an incoming letter and the lembar disposisi.

The engine holds the rules (engine.letters, engine.disposition) and says what is wrong with
a value (InvalidInput.field); these forms only carry what was typed, check what a browser
field can check by itself (a date that is no date, a file that is not a PDF, too large), and
keep everything for the page that shows the message beside the field.  Labels of the fixed
vocabularies (jenis, sifat, urgensi, statuses) live here, in Indonesian, translated at use.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from flask import current_app
from wtforms import (
    DateField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forms.filetypes import DOCX, JPEG, PDF, PNG, XLSX
from forms.uploads import AllowedTypes, FileOptional, MaxBytes, UploadField
from webapp.i18n import gettext
from webapp.localized import LocalizedForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows
SCAN_TYPES = (PDF, JPEG, PNG)
REPORT_TYPES = (PDF, JPEG, PNG, DOCX, XLSX)

JENIS_LABELS: dict[str, str] = {
    "nota_dinas": "Nota Dinas", "memo": "Memo", "surat_dinas": "Surat Dinas", "surat_undangan": "Surat Undangan",
    "surat_edaran": "Surat Edaran", "surat_keputusan": "Keputusan", "surat_perintah": "Surat Perintah",
    "surat_tugas": "Surat Tugas", "instruksi": "Instruksi", "peraturan": "Peraturan", "sop": "SOP",
    "perjanjian": "Perjanjian", "surat_kuasa": "Surat Kuasa", "berita_acara": "Berita Acara",
    "surat_keterangan": "Surat Keterangan", "surat_pengantar": "Surat Pengantar", "pengumuman": "Pengumuman",
    "laporan": "Laporan", "telaahan_staf": "Telaahan Staf", "notula": "Notula", "lainnya": "Lainnya",
}
SIFAT_LABELS = {"biasa": "Biasa", "terbatas": "Terbatas", "rahasia": "Rahasia", "sangat_rahasia": "Sangat Rahasia"}
URGENSI_LABELS = {"biasa": "Biasa", "segera": "Segera", "sangat_segera": "Sangat Segera"}
SENDER_KIND_LABELS = {"internal": "Internal Pemda", "srikandi": "SRIKANDI", "eksternal": "Eksternal"}
LETTER_STATUS_LABELS = {
    "menunggu_disposisi": "Menunggu disposisi", "didisposisikan": "Didisposisikan", "selesai": "Selesai",
    "diarsipkan": "Diarsipkan", "dibatalkan": "Dibatalkan",
    "konsep": "Konsep", "paraf": "Dalam paraf", "tanda_tangan": "Menunggu tanda tangan",
    "ditandatangani": "Ditandatangani", "terkirim": "Terkirim", "ditarik": "Ditarik kembali",
}
BRANCH_STATUS_LABELS = {
    "belum_dibaca": "Belum dibaca", "dibaca": "Dibaca", "diteruskan": "Diteruskan",
    "ditindaklanjuti": "Ditindaklanjuti", "selesai": "Selesai", "dibatalkan": "Dibatalkan",
}
ATTACHMENT_KIND_LABELS = {"pindaian": "Pindaian surat", "lampiran": "Lampiran", "tindak_lanjut": "Laporan tindak lanjut"}

VOCABULARIES: dict[str, dict[str, str]] = {
    "jenis": JENIS_LABELS, "sifat": SIFAT_LABELS, "urgensi": URGENSI_LABELS, "sender_kind": SENDER_KIND_LABELS,
    "letter_status": LETTER_STATUS_LABELS, "branch_status": BRANCH_STATUS_LABELS, "attachment": ATTACHMENT_KIND_LABELS,
}


def label(vocabulary: str, value: str | None) -> str:
    """A stored value as the reader reads it ("sangat_rahasia" -> "Sangat Rahasia")."""
    if value is None:
        return "—"
    text = VOCABULARIES[vocabulary].get(value)
    return gettext(text) if text else value


def choices(vocabulary: str) -> list[tuple[str, str]]:
    return [(value, gettext(text)) for value, text in VOCABULARIES[vocabulary].items()]


# --- local time at the edge -------------------------------------------------------------------


def to_local_input(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime(LOCAL_FORMAT) if moment else ""


def from_local(value: datetime | None, tz: tzinfo) -> datetime | None:
    """A wall-clock time typed in the Pemda's zone, as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=tz).astimezone(UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_local(text: str | None, tz: tzinfo) -> datetime | None:
    """A datetime-local value from a hand-built input; ValueError when it is no date and time."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in (LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return from_local(datetime.strptime(text, pattern), tz)
        except ValueError:
            continue
    raise ValueError(text)


class UploadLimit(MaxBytes):
    """The installation's upload limit (Settings.max_upload_bytes), read when the form checks."""

    def __init__(self) -> None:
        super().__init__(0)

    def __call__(self, form: Any, field: Any) -> None:
        self.max_bytes = current_app.config["LONTAR_SETTINGS"].max_upload_bytes
        super().__call__(form, field)


# --- the forms ----------------------------------------------------------------------------------


class RegisterForm(LocalizedForm):
    """Surat masuk as the pencatat types it from the paper (or SRIKANDI) letter."""

    unit_id = SelectField("Unit", coerce=int)
    jenis = SelectField("Jenis naskah", default="surat_dinas")
    nomor = StringField("Nomor surat", validators=[Optional(), Length(max=120)])
    tanggal = DateField("Tanggal surat", validators=[Optional()])
    received_at = DateTimeLocalField("Tanggal diterima", format=LOCAL_FORMAT, validators=[Optional()])
    sender_name = StringField("Pengirim", validators=[DataRequired(), Length(max=300)])
    sender_kind = SelectField("Jenis pengirim", default="eksternal")
    hal = StringField("Hal", validators=[DataRequired(), Length(max=500)])
    sifat = SelectField("Sifat", default="biasa")
    urgensi = SelectField("Urgensi", default="biasa")
    klasifikasi_code = StringField("Klasifikasi", validators=[Optional(), Length(max=40)])
    body = TextAreaField("Ringkasan isi", validators=[Optional(), Length(max=20000)])
    scan = UploadField("Pindaian surat", validators=[FileOptional(), UploadLimit(), AllowedTypes(SCAN_TYPES)])
    # the TU's pre-draft of the disposition, for the head to confirm (optional)
    draft_recipients = SelectMultipleField("Penerima", coerce=int, validate_choice=False)
    draft_instructions = SelectMultipleField("Instruksi", validate_choice=False)
    draft_note = TextAreaField("Catatan", validators=[Optional(), Length(max=2000)])

    def fill_choices(self) -> None:
        self.jenis.choices = choices("jenis")
        self.sender_kind.choices = choices("sender_kind")
        self.sifat.choices = choices("sifat")
        self.urgensi.choices = choices("urgensi")


class DispositionForm(LocalizedForm):
    """The lembar disposisi of one task: recipients (each with its due date, read by the view
    from `due-<position id>`), instructions and a note; for a recipient also the report."""

    recipients = SelectMultipleField("Diteruskan kepada", coerce=int, validate_choice=False)
    instructions = SelectMultipleField("Dengan hormat harap", validate_choice=False)
    note = TextAreaField("Catatan")
    report = TextAreaField("Laporan tindak lanjut")
    report_file = UploadField("Berkas laporan", validators=[FileOptional(), UploadLimit(), AllowedTypes(REPORT_TYPES)])


class LetterCommentForm(LocalizedForm):
    text = TextAreaField("Komentar", validators=[DataRequired(), Length(max=4000)])


class ButtonForm(LocalizedForm):
    """A button and its CSRF token (Batalkan)."""
