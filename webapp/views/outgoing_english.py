"""English for the outgoing-letter pages (merged into webapp.translations_en.EN): the draft page,
the paraf, signature, revision and ekspedisi tasks, and the letter page's outgoing blocks
(webapp/views/outgoing_*.py, webapp/outgoingforms.py, templates/letters/{draft*,outgoing_*,
paraf,sign,revise,dispatch}.html)."""

EN_OUTGOING: dict[str, str] = {
    # the draft page (new, edit) and its fields
    "Buat naskah": "Draft a letter",
    "Ubah konsep naskah": "Edit the draft",
    "Naskah keluar": "Outgoing letter",
    "Isi naskah": "Text of the letter",
    "Tujuan dan tembusan": "Addressees and copies",
    "Penerima internal dipilih unitnya; penerima di luar Pemda (SRIKANDI atau lainnya) ditulis namanya.": (
        "For a recipient inside the Pemda choose its unit; for one outside (SRIKANDI or other) write its name."
    ),
    "Penerima {n}": "Recipient {n}",
    "Jenis penerima": "Kind of recipient",
    "Unit penerima": "Recipient unit",
    "Nama penerima": "Recipient's name",
    "Tambah penerima": "Add a recipient",
    "Tembusan": "Copy to",
    "— pilih unit —": "— choose a unit —",
    "Koordinasi dan penandatangan": "Coordination and signer",
    "Unit koordinasi (opsional)": "Units to coordinate with (optional)",
    "Pimpinan unit yang dipilih ikut memaraf sesudah paraf berjenjang.": (
        "The heads of the chosen units initial after the hierarchical initials."
    ),
    "Penandatangan": "Signer",
    "— pilih penandatangan —": "— choose the signer —",
    "Periksa penandatangan": "Check the signers",
    "Pilih jenis naskah dan tujuan dahulu; daftar penandatangan mengikuti keduanya.": (
        "Choose the kind of letter and the addressees first; the list of signers follows from both."
    ),
    "Alur paraf": "Initialling route",
    "paraf": "initials",
    "tanda tangan": "signature",
    "Tidak ada pejabat di antara Anda dan penandatangan: naskah langsung ke penandatangan.": (
        "Nobody stands between you and the signer: the letter goes straight to the signer."
    ),
    "Alur proses unit dapat menambah paraf tetap (mis. Sekretaris).": (
        "The unit's process may add fixed initials (e.g. the Secretary)."
    ),
    "Tambah lampiran (opsional: PDF, gambar, DOCX, XLSX)": "Add an attachment (optional: PDF, image, DOCX, XLSX)",
    "Simpan konsep": "Save the draft",
    "Ajukan": "Submit",
    "Ajukan: naskah dikirim kepada pemeriksa pertama untuk diparaf.": (
        "Submit: the letter goes to the first reviewer to be initialled."
    ),
    "Konsep naskah disimpan.": "The draft was saved.",
    "Naskah diajukan untuk diparaf.": "The letter was submitted for initials.",
    "Naskah ditarik kembali dan dapat diubah lagi.": "The letter was withdrawn and can be edited again.",
    "Naskah dikembalikan kepada Anda: perbaiki melalui tugas ini.": (
        "The letter was returned to you: revise it through this task."
    ),
    # the letter page's outgoing blocks
    "Nomor naskah": "Letter number",
    "belum bernomor": "not numbered yet",
    "Ditandatangani secara elektronik": "Signed electronically",
    "Ubah konsep": "Edit the draft",
    "Alasan (opsional)": "Reason (optional)",
    "Dapat ditarik selama belum ada yang memaraf pada putaran ini.": (
        "It can be withdrawn as long as nobody has initialled it in this round."
    ),
    "Ekspedisi": "Dispatch",
    "terkirim": "sent",
    "belum dikirim": "not sent yet",
    "Belum diajukan untuk diparaf.": "Not submitted for initials yet.",
    "Putaran {n}": "Round {n}",
    "koordinasi": "coordination",
    "tetap": "fixed",
    "Riwayat versi": "Versions",
    "Versi {n}": "Version {n}",
    "{name} (wakil)": "{name} (deputy)",
    "Halaman surat dan riwayatnya": "The letter's page and its history",
    # vocabularies (webapp/outgoingforms.py)
    "Paraf": "Initial",
    "Direvisi lalu paraf": "Revised and initialled",
    "Berjenjang": "Hierarchical",
    "Koordinasi": "Coordination",
    "Perbaikan konseptor": "Drafter's revision",
    "Revisi pemeriksa": "Reviewer's revision",
    "Pos": "Post",
    "Kurir": "Courier",
    "Diantar langsung": "Delivered by hand",
    # the paraf and signature tasks
    "Catatan wajib diisi bila naskah dikembalikan kepada konseptor.": (
        "A note is required when the letter is returned to the drafter."
    ),
    "Kembalikan": "Return",
    "Revisi langsung lalu paraf": "Revise it yourself, then initial",
    "Perbaikan Anda menjadi versi baru naskah; konseptor dan pemeriksa lain melihat perubahannya.": (
        "Your changes become a new version of the letter; the drafter and the other reviewers see them."
    ),
    "Catatan revisi": "Note on the revision",
    "Simpan revisi dan paraf": "Save the revision and initial",
    "Naskah diparaf.": "The letter was initialled.",
    "Naskah dikembalikan kepada konseptor.": "The letter was returned to the drafter.",
    "Naskah direvisi dan diparaf.": "The letter was revised and initialled.",
    "Blok tanda tangan": "Signature block",
    "Seperti yang akan tercetak pada naskah; nomor diambil dari register unit saat Anda menandatangani.": (
        "As it will be printed on the letter; the number is taken from the unit's register when you sign."
    ),
    "Tandatangani dan beri nomor": "Sign and number",
    "Naskah ditandatangani. Nomor naskah: {nomor}": "The letter was signed. Letter number: {nomor}",
    # the konseptor's revision
    "Catatan pemeriksa": "Reviewers' notes",
    "Catatan perbaikan (opsional)": "Note on your changes (optional)",
    "Ajukan lagi": "Submit again",
    "Paraf dimulai lagi dari pemeriksa pertama.": "The initials start again from the first reviewer.",
    "Perbaikan diajukan; paraf dimulai lagi dari pemeriksa pertama.": (
        "The revision was submitted; the initials start again from the first reviewer."
    ),
    # ekspedisi
    "Penerima di luar Pemda": "Recipients outside the Pemda",
    "Tanggal kirim": "Date sent",
    "Cara kirim": "Sent by",
    "mis. nomor resi": "e.g. the receipt number",
    "Tidak ada penerima di luar Pemda.": "No recipients outside the Pemda.",
    "Tandai terkirim": "Mark as sent",
    "Tanggal kirim tidak valid.": "The date sent is not a valid date.",
    "Ekspedisi dicatat: {count} penerima.": "Dispatch recorded: {count} recipients.",
}
