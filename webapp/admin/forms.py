"""The admin forms.  Labels are Indonesian and translated where they are shown (admin/macros.html);
choices are filled per request from the admin's scope (webapp.admin.choices)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from webapp.localized import LocalizedForm

ESELON = ["I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V.a", "V.b"]


class ActionForm(LocalizedForm):
    """A button that changes something: only the CSRF token."""


class UnitForm(LocalizedForm):
    code = StringField("Kode unit", validators=[DataRequired(), Length(max=40)])
    name = StringField("Nama unit", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Jenis unit", choices=[])
    parent_id = SelectField("Unit induk", choices=[])


class PositionForm(LocalizedForm):
    code = StringField("Kode jabatan", validators=[DataRequired(), Length(max=60)])
    name = StringField("Nama jabatan", validators=[DataRequired(), Length(max=200)])
    unit_id = SelectField("Unit", choices=[])
    reports_to_id = SelectField("Atasan langsung", choices=[])
    is_head_of_unit = BooleanField("Kepala unit ini")
    eselon = SelectField("Eselon", choices=[])


class UserForm(LocalizedForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=80)])
    name = StringField("Nama lengkap dan gelar", validators=[DataRequired(), Length(max=200)])
    nip = StringField("NIP", validators=[Optional(), Length(max=30)])
    pangkat = StringField("Pangkat/golongan", validators=[Optional(), Length(max=80)])
    email = StringField("Surel", validators=[Optional(), Length(max=200)])


class UserCreateForm(UserForm):
    password = PasswordField("Kata sandi awal", validators=[DataRequired(), Length(max=200)])
    position_id = SelectField("Jabatan awal (definitif mulai hari ini)", choices=[])
    sk_ref = StringField("Nomor SK", validators=[Optional(), Length(max=120)])


class PasswordForm(LocalizedForm):
    password = PasswordField("Kata sandi baru", validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField("Ulangi kata sandi baru", validators=[DataRequired(), EqualTo("password")])


class RoleForm(LocalizedForm):
    role = SelectField("Jenis peran", choices=[])
    unit_id = SelectField("Di unit", choices=[])


class AppointForm(LocalizedForm):
    user = StringField("Pegawai (nama pengguna atau NIP)", validators=[DataRequired(), Length(max=80)])
    kind = SelectField("Jenis penugasan", choices=[])
    valid_from = DateField("Mulai tanggal", validators=[DataRequired()])
    valid_to = DateField("Sampai tanggal (kosong: tanpa batas)", validators=[Optional()])
    sk_ref = StringField("Nomor SK", validators=[Optional(), Length(max=120)])


class EndHoldingForm(LocalizedForm):
    last_day = DateField("Hari terakhir menjabat", validators=[DataRequired()])


class DelegationForm(LocalizedForm):
    deputy = StringField("Wakil (nama pengguna atau NIP)", validators=[DataRequired(), Length(max=80)])
    valid_from = DateField("Mulai tanggal", validators=[DataRequired()])
    valid_to = DateField("Sampai tanggal", validators=[DataRequired()])
    reason = StringField("Alasan (cuti, dinas luar...)", validators=[Optional(), Length(max=300)])


class MappingForm(LocalizedForm):
    unit_id = SelectField("Berlaku di unit (dan unit di bawahnya)", choices=[])
    role = StringField(
        "Kunci peran (nama lane atau candidateGroups)", validators=[DataRequired(), Length(max=120)]
    )
    target = SelectField("Menjadi", choices=[])
    position_id = SelectField("Jabatan", choices=[])
    user_role = SelectField("Peran non-jabatan", choices=[])


class ImportForm(LocalizedForm):
    units = FileField("units.csv")
    positions = FileField("positions.csv")
    users = FileField("users.csv")


class ConfirmImportForm(LocalizedForm):
    """The previewed files travel back base64-encoded, so that any web process can apply them."""

    units = HiddenField()
    positions = HiddenField()
    users = HiddenField()
