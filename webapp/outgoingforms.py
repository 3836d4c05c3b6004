"""The forms of the outgoing-letter pages: the draft (new, edit, revise), a paraf, a signature
and the ekspedisi sheet.

As with the incoming letters (webapp/letterforms.py), the engine holds the rules
(engine.drafting, engine.signing_rules, engine.signing, engine.distribution) and names the
field a refusal belongs to; these forms carry what was typed, check what a browser field can
check by itself, and keep everything for the page that shows the message.
"""

from __future__ import annotations

from typing import Any

from wtforms import (
    FieldList,
    Form,
    FormField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from engine.drafting import DraftInput, PartyInput
from forms.uploads import AllowedTypes, FileOptional, UploadField
from webapp.i18n import gettext
from webapp.letterforms import REPORT_TYPES, UploadLimit, choices
from webapp.localized import LocalizedForm

ROLES = {"kepada": "Kepada", "tembusan": "Tembusan"}
CHANNELS = {"pos": "Pos", "kurir": "Kurir", "email": "Surel", "srikandi": "SRIKANDI", "langsung": "Diantar langsung"}
PARAF_DECISIONS = {"menunggu": "Menunggu", "paraf": "Paraf", "kembalikan": "Dikembalikan", "revisi": "Direvisi lalu paraf",
                   "dilewati": "Dilewati"}
PARAF_KINDS = {"berjenjang": "Berjenjang", "koordinasi": "Koordinasi", "tetap": "Tetap"}
VERSION_REASONS = {"konsep": "Konsep", "revisi": "Perbaikan konseptor", "revisi_pemeriksa": "Revisi pemeriksa"}
OUTGOING_VOCABULARIES: dict[str, dict[str, str]] = {
    "role": ROLES, "channel": CHANNELS, "paraf": PARAF_DECISIONS, "paraf_kind": PARAF_KINDS, "reason": VERSION_REASONS,
}


def out_label(vocabulary: str, value: str | None) -> str:
    if not value:
        return "—"
    text = OUTGOING_VOCABULARIES[vocabulary].get(value)
    return gettext(text) if text else value


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class PartyForm(Form):
    """One row of kepada / tembusan: an internal unit, or a name outside (SRIKANDI or other)."""

    role = SelectField("Peran", default="kepada", validate_choice=False)
    kind = SelectField("Jenis penerima", default="internal", validate_choice=False)
    unit_id = SelectField("Unit", coerce=_int_or_none, validate_choice=False)
    name = StringField("Nama penerima", validators=[Optional(), Length(max=300)])

    def is_blank(self) -> bool:
        if self.kind.data == "internal":
            return self.unit_id.data is None
        return not (self.name.data or "").strip()


class DraftForm(LocalizedForm):
    """What the konseptor writes: the same form for a new draft, an edit and a revision."""

    jenis = SelectField("Jenis naskah", default="nota_dinas")
    hal = StringField("Hal", validators=[DataRequired(), Length(max=500)])
    body = TextAreaField("Isi naskah", validators=[Optional(), Length(max=50000)])
    sifat = SelectField("Sifat", default="biasa")
    urgensi = SelectField("Urgensi", default="biasa")
    klasifikasi_code = StringField("Klasifikasi", validators=[Optional(), Length(max=40)])
    parties = FieldList(FormField(PartyForm), min_entries=1, max_entries=60)
    koordinasi = SelectMultipleField("Unit koordinasi", coerce=int, validate_choice=False)
    signer = SelectField("Penandatangan", validate_choice=False)
    attachment = UploadField("Lampiran", validators=[FileOptional(), UploadLimit(), AllowedTypes(REPORT_TYPES)])
    note = TextAreaField("Catatan perbaikan", validators=[Optional(), Length(max=4000)])

    def fill_choices(self, units: list[tuple[int, str]], signers: list[tuple[str, str]]) -> None:
        self.jenis.choices = choices("jenis")
        self.sifat.choices = choices("sifat")
        self.urgensi.choices = choices("urgensi")
        self.koordinasi.choices = units
        self.signer.choices = [("", gettext("— pilih penandatangan —")), *signers]
        for row in self.parties:
            row.form.role.choices = [(k, gettext(v)) for k, v in ROLES.items()]
            row.form.kind.choices = choices("sender_kind")
            row.form.unit_id.choices = [("", gettext("— pilih unit —")), *units]

    def party_inputs(self) -> list[PartyInput]:
        found: list[PartyInput] = []
        for row in self.parties:
            party: PartyForm = row.form
            if party.is_blank():
                continue
            internal = party.kind.data == "internal"
            found.append(PartyInput(role=party.role.data or "kepada", kind=party.kind.data or "internal",
                                    unit_id=party.unit_id.data if internal else None,
                                    name="" if internal else (party.name.data or "").strip()))
        return found

    def signer_choice(self) -> tuple[int | None, int | None]:
        """(rule id, position id) of the chosen signer: the select's value is "rule:position"."""
        rule, _, position = (self.signer.data or "").partition(":")
        return _int_or_none(rule), _int_or_none(position)

    def draft_input(self) -> DraftInput:
        rule_id, position_id = self.signer_choice()
        return DraftInput(
            jenis=self.jenis.data or "", hal=(self.hal.data or "").strip(), body=self.body.data or "",
            sifat=self.sifat.data or "biasa", urgensi=self.urgensi.data or "biasa",
            klasifikasi_code=(self.klasifikasi_code.data or "").strip() or None,
            signer_rule_id=rule_id, signer_position_id=position_id, parties=self.party_inputs(),
            koordinasi_unit_ids=list(dict.fromkeys(self.koordinasi.data or [])),
        )

    def ensure_blank_row(self) -> None:
        """One empty row at the end to add a recipient without script."""
        last = self.parties.entries[-1].form if self.parties.entries else None
        if last is None or not last.is_blank():
            self.parties.append_entry()


def signer_value(rule_id: int | None, position_id: int | None) -> str:
    return f"{rule_id}:{position_id}" if rule_id is not None and position_id is not None else ""


class ParafForm(LocalizedForm):
    """Paraf / Kembalikan with a note; the Revisi form adds the edited hal and body."""

    note = TextAreaField("Catatan", validators=[Optional(), Length(max=4000)])


class ReviseParafForm(LocalizedForm):
    hal = StringField("Hal", validators=[DataRequired(), Length(max=500)])
    body = TextAreaField("Isi naskah", validators=[Optional(), Length(max=50000)])
    note = TextAreaField("Catatan revisi", validators=[Optional(), Length(max=4000)])


class SignForm(LocalizedForm):
    note = TextAreaField("Catatan", validators=[Optional(), Length(max=4000)])
    # Shown only to a signer with a certificate; never echoed back into the page.
    passphrase = PasswordField("Frasa sandi", validators=[Optional(), Length(max=1024)],
                              render_kw={"autocomplete": "off"})


class DispatchForm(LocalizedForm):
    """The rows are read by the view from `sent-<party>`, `date-<party>`, `channel-<party>`,
    `note-<party>`; this form carries the CSRF token."""


class RecallForm(LocalizedForm):
    reason = TextAreaField("Alasan", validators=[Optional(), Length(max=2000)])


def field_of(form: Any, name: str | None) -> Any:
    """The form field an engine refusal names (engine names -> the form's), or None."""
    if not name:
        return None
    aliases = {"signer_rule_id": "signer", "signer_position_id": "signer", "penandatangan": "signer",
               "koordinasi_unit_ids": "koordinasi", "catatan": "note", "reason": "note", "isi": "body"}
    target = getattr(form, aliases.get(name, name), None)
    return target if target is not None and hasattr(target, "errors") else None
