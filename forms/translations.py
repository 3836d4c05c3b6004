"""Validation messages in Bahasa Indonesia, plugged into WTForms' own translation hook.

WTForms 3.3 ships no Indonesian locale (there is no wtforms/locale/id), so we keep the
sentences here.  Going through `Meta.get_translations` rather than passing a message to each
validator also covers the errors fields raise themselves while parsing ("Not a valid date
value."), which no validator argument can reach.  Our own validators use English message ids
through `field.gettext` too, so one catalogue serves every message a form can show.
"""

from __future__ import annotations

from wtforms.i18n import DummyTranslations

# English message id (as WTForms or forms/ writes it) -> Bahasa Indonesia.  Indonesian has no
# plural forms, so ngettext looks up the singular id.
INDONESIAN: dict[str, str] = {
    # WTForms' own messages (wtforms/locale/wtforms.pot, 3.3.2)
    "Invalid field name '%s'.": "Nama isian '%s' tidak valid.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Isian ini paling sedikit %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Isian ini paling banyak %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Isian ini harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Panjang isian ini harus antara %(min)d dan %(max)d karakter."
    ),
    "Number must be at least %(min)s.": "Angka paling kecil %(min)s.",
    "Number must be at most %(max)s.": "Angka paling besar %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Isian ini wajib diisi.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat email tidak valid.",
    "Invalid IP address.": "Alamat IP tidak valid.",
    "Invalid Mac address.": "Alamat MAC tidak valid.",
    "Invalid URL.": "URL tidak valid.",
    "Invalid UUID.": "UUID tidak valid.",
    "Invalid value, must be one of: %(values)s.": "Nilai tidak valid, pilih salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Nilai tidak valid, tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini tidak aktif dan tidak boleh diisi.",
    "Invalid CSRF Token.": "Token CSRF tidak valid.",
    "CSRF token missing.": "Token CSRF tidak ada.",
    "CSRF failed.": "Pemeriksaan CSRF gagal.",
    "CSRF token expired.": "Token CSRF kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak valid.",
    "Choices cannot be None.": "Belum ada pilihan untuk isian ini.",
    "Not a valid choice.": "Pilihan tidak valid.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Ada pilihan yang tidak valid.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang valid untuk isian ini.",
    "Not a valid datetime value.": "Tanggal dan waktu tidak valid.",
    "Not a valid date value.": "Tanggal tidak valid.",
    "Not a valid time value.": "Waktu tidak valid.",
    "Not a valid week value.": "Minggu tidak valid.",
    "Not a valid integer value.": "Harus bilangan bulat.",
    "Not a valid decimal value.": "Angka tidak valid.",
    "Not a valid float value.": "Angka tidak valid.",
    # forms/ messages
    "Not a valid number.": "Angka tidak valid.",
    "The file is too large (at most %(max)s).": "Berkas terlalu besar (paling besar %(max)s).",
    "This file type is not allowed. Accepted: %(types)s.": (
        "Jenis berkas ini tidak diterima. Yang diterima: %(types)s."
    ),
    "This field is required when %(field)s is %(value)s.": (
        "Isian ini wajib diisi bila %(field)s: %(value)s."
    ),
    "— Choose —": "— Pilih —",
    "yes": "ya",
    "no": "tidak",
}


class CatalogueTranslations:
    """WTForms' translations protocol (gettext/ngettext) over a plain dict."""

    def __init__(self, catalogue: dict[str, str]) -> None:
        self.catalogue = catalogue

    def gettext(self, string: str) -> str:
        return self.catalogue.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in self.catalogue:
            return self.catalogue[singular]
        return singular if n == 1 else plural


_INDONESIAN = CatalogueTranslations(INDONESIAN)
_ENGLISH = DummyTranslations()


def translations_for(lang: str) -> CatalogueTranslations | DummyTranslations:
    """English for "en"; Bahasa Indonesia for everything else, as it is the default language."""
    return _ENGLISH if lang == "en" else _INDONESIAN


def gettext(lang: str, string: str) -> str:
    """Translate a forms/ message id when there is no field at hand (e.g. at build time)."""
    return translations_for(lang).gettext(string)
