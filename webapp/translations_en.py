"""Indonesian sentence -> English sentence, for everything the templates and views say.

Keys are exactly what the templates pass to `_()` and the Python code to `gettext()`; a
placeholder such as `{name}` must appear in both (tests/test_web.py checks that every sentence
has its English and that the placeholders match).
"""

EN: dict[str, str] = {
    # base.html: the frame of every page
    "Lontar": "Lontar",
    "Menu utama": "Main menu",
    "Kotak masuk": "Inbox",
    "Mulai": "Start",
    "Proses": "Processes",
    "Keluar": "Log out",
    # login.html and webapp/auth.py
    "Masuk": "Log in",
    "Masuk ke Lontar": "Log in to Lontar",
    "E-office naskah dinas pemerintah daerah.": "E-office for the official letters of regional government.",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Nama pengguna atau kata sandi salah.": "Wrong username or password.",
    "Silakan masuk terlebih dahulu.": "Please log in first.",
    "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.": (
        "Too many login attempts. Try again in {minutes} minutes."
    ),
    # inbox.html
    "Masuk {when}": "Received {when}",
    "Batas {when}": "Due {when}",
    "Tidak ada tugas yang menunggu Anda.": "No tasks are waiting for you.",
    "Proses saya": "My processes",
    "Perihal": "Subject",
    "Status": "Status",
    "Diperbarui": "Updated",
    "Belum ada proses.": "No processes yet.",
    "Mulai proses baru": "Start a new process",
    # macros.html: values and status badges
    "Ya": "Yes",
    "Tidak": "No",
    "Berjalan": "Running",
    "Selesai": "Completed",
    "Dibatalkan": "Cancelled",
    "Gagal": "Failed",
    "Menunggu": "Waiting",
    # task.html
    "Batas waktu": "Due",
    "versi": "version",
    "Naskah dikembalikan dengan catatan": "The draft was returned with a note",
    "Naskah": "Document",
    "Tujuan": "To",
    "Isi": "Body",
    "Lampiran": "Attachment",
    "Keputusan": "Decision",
    "Catatan": "Note",
    "Kirim": "Send",
    "Selesaikan": "Complete",
    "Alur": "Flow",
    "Diagram tidak tersedia.": "The diagram is not available.",
    "Lihat proses": "View the process",
    "Riwayat": "History",
    # task_actions.html, inbox.html and webapp/views/task_actions.py: claim, delegate, reassign
    "Didelegasikan ke {delegate} oleh {owner}": "Delegated to {delegate} by {owner}",
    "Jawaban Anda akan dikirim kembali kepada {name} untuk dikonfirmasi.": (
        "Your answer will go back to {name} for confirmation."
    ),
    "Jawaban dari {name} menunggu konfirmasi Anda": "The answer from {name} waits for your confirmation",
    "Isian di bawah sudah terisi dengan jawaban ini. Ubah bila perlu, lalu kirim untuk menyelesaikan tugas.": (
        "The form below holds this answer. Change it if needed, then send it to complete the task."
    ),
    "Jawaban Anda menunggu konfirmasi {name}.": "Your answer waits for confirmation by {name}.",
    "Diambil oleh {name}": "Claimed by {name}",
    "Tindakan atas tugas": "Task actions",
    "Ambil": "Claim",
    "Ambil agar tugas ini tidak lagi tampil di kotak masuk orang lain.": (
        "Claim it so that it no longer shows in other people's inboxes."
    ),
    "Lepaskan": "Release",
    "Tarik kembali": "Take back",
    "Delegasikan": "Delegate",
    "Kepada bawahan Anda. Jawabannya kembali kepada Anda untuk dikonfirmasi sebelum proses berlanjut.": (
        "To one of your subordinates. Their answer comes back to you to confirm before the process moves on."
    ),
    "Delegasikan kepada": "Delegate to",
    "Catatan untuk penerima": "Note for the recipient",
    "Alihkan": "Reassign",
    "Sebagai admin unit: tugas berpindah kepada orang yang dipilih, dengan alasan yang tercatat.": (
        "As the unit's admin: the task moves to the person you choose, with the reason on record."
    ),
    "Alihkan kepada": "Reassign to",
    "Alasan pengalihan": "Reason for reassigning",
    "Menunggu konfirmasi Anda": "Waiting for your confirmation",
    "Didelegasikan kepada Anda": "Delegated to you",
    "Diambil oleh Anda": "Claimed by you",
    "Tugas ini sekarang Anda pegang; tidak lagi tampil di kotak masuk orang lain.": (
        "You now hold this task; it no longer shows in other people's inboxes."
    ),
    "Tugas dilepaskan dan kembali ke semua penerimanya.": "The task was released and is back with all its recipients.",
    "Tugas didelegasikan kepada {name}. Jawabannya akan kembali kepada Anda untuk dikonfirmasi.": (
        "The task was delegated to {name}. Their answer will come back to you for confirmation."
    ),
    "Delegasi ditarik kembali; tugas ini kembali kepada Anda.": "The delegation was taken back; the task is yours again.",
    "Tugas dialihkan kepada {name}.": "The task was reassigned to {name}.",
    "Jawaban Anda dikirim kepada {name} untuk dikonfirmasi.": "Your answer was sent to {name} for confirmation.",
    # instance.html
    "Proses #{id}": "Process #{id}",
    "Dimulai": "Started",
    "Berakhir": "Ended",
    "selesai": "done",
    "sedang menunggu": "waiting",
    "Batalkan proses": "Cancel the process",
    "Alasan pembatalan": "Reason for cancelling",
    "Batalkan": "Cancel",
    # start.html, processes.html, process_version.html
    "Mulai proses": "Start a process",
    "Anda memulai sebagai": "You are starting as",
    "Anda belum memegang jabatan, sehingga belum dapat memulai proses.": (
        "You do not hold a position yet, so you cannot start a process."
    ),
    "Belum ada proses yang dipasang.": "No process has been deployed yet.",
    "Pustaka proses": "Process library",
    "Versi": "Version",
    "Sumber": "Source",
    "Dipasang": "Deployed",
    "varian unit": "unit variant",
    "Unduh .bpmn": "Download .bpmn",
    # flash messages of the views
    "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.": (
        "The form has expired or is not valid. Reload the page and try again."
    ),
    "Tugas ini sudah diselesaikan oleh {name}.": "This task was already completed by {name}.",
    "Tugas ini sudah tidak menunggu tindakan.": "This task is no longer waiting for action.",
    "Tugas tersimpan, tetapi langkah berikutnya gagal. Admin perlu memeriksanya.": (
        "The task was saved, but the next step failed. An admin needs to look at it."
    ),
    'Tugas "{name}" selesai.': 'Task "{name}" completed.',
    "Tuliskan alasan pembatalan.": "Write the reason for cancelling.",
    "Proses dibatalkan.": "The process was cancelled.",
    # error.html and webapp/errors.py
    "Kembali ke kotak masuk": "Back to the inbox",
    "Permintaan tidak dapat diproses": "The request cannot be processed",
    "Akses ditolak": "Access denied",
    "Halaman tidak ditemukan": "Page not found",
    "Metode tidak diizinkan": "Method not allowed",
    "Tindakan tidak dapat dilakukan": "The action cannot be done",
    "Berkas terlalu besar": "File too large",
    "Data tidak dapat diproses": "The data cannot be processed",
    "Terjadi kesalahan pada sistem": "A system error occurred",
    "Permintaan tidak lengkap atau tidak sah.": "The request is incomplete or not valid.",
    "Anda tidak berhak membuka halaman ini.": "You are not allowed to open this page.",
    "Halaman atau data yang Anda cari tidak ada, atau tidak dapat Anda lihat.": (
        "The page or data you are looking for does not exist, or you cannot see it."
    ),
    "Cara membuka halaman ini tidak diizinkan.": "This page cannot be opened this way.",
    "Data sudah berubah.": "The data has changed.",
    "Berkas yang diunggah melebihi batas ukuran.": "The uploaded file is over the size limit.",
    "Data tidak dapat diproses.": "The data cannot be processed.",
    "Kesalahan ini sudah dicatat. Silakan coba lagi beberapa saat lagi.": (
        "This error has been logged. Please try again in a moment."
    ),
    # notifications: the bell (base.html), notifications*.html, webapp/views/notifications.py
    "Pemberitahuan": "Notifications",
    "Pemberitahuan, {count} belum dibaca": "Notifications, {count} unread",
    "Tandai semua dibaca": "Mark all as read",
    "Tandai dibaca": "Mark as read",
    "Pengaturan": "Settings",
    "Belum dibaca": "Unread",
    "Belum ada pemberitahuan.": "No notifications yet.",
    "Pemberitahuan tentang naskah yang tidak lagi dapat Anda lihat": (
        "A notification about a letter you can no longer see"
    ),
    "Semua pemberitahuan ditandai sudah dibaca.": "All notifications are marked as read.",
    "Pengaturan pemberitahuan": "Notification settings",
    "Pengaturan pemberitahuan disimpan.": "Notification settings saved.",
    "Semua pemberitahuan selalu tampil di Lontar. Pilih jenis yang juga ingin Anda terima lewat e-mail.": (
        "Every notification always shows in Lontar. Choose the kinds you also want by e-mail."
    ),
    "Pengiriman e-mail belum diaktifkan di Lontar ini. Pilihan Anda tersimpan dan berlaku setelah admin "
    "mengaktifkannya.": (
        "This Lontar does not send e-mail yet. Your choice is kept and applies once an admin turns e-mail on."
    ),
    "Akun Anda belum memiliki alamat e-mail. Minta admin untuk mengisinya.": (
        "Your account has no e-mail address. Ask an admin to add one."
    ),
    "E-mail dikirim ke {address}.": "E-mail goes to {address}.",
    "Kirim juga lewat e-mail": "Also send by e-mail",
}

# The admin pages keep their sentences beside them (webapp/admin/english.py).
from webapp.admin.english import EN_ADMIN  # noqa: E402

for _indonesian, _english in EN_ADMIN.items():
    EN.setdefault(_indonesian, _english)

# The Pemda-wide admin pages for the working calendar and the disposition instructions
# (webapp/admin/calendar.py, webapp/admin/instructions.py).
for _indonesian, _english in {
    "Kalender kerja": "Working calendar",
    "Batas waktu surat dan disposisi dihitung dalam hari kerja: akhir pekan dan hari libur di bawah ini dilewati.": (
        "Due dates of letters and dispositions count working days: the weekend and the holidays below are skipped."
    ),
    "Batas waktu bawaan untuk surat yang dicatat sekarang": "Default due dates of a letter registered now",
    "Biasa": "Normal",
    "Segera": "Urgent",
    "Sangat segera": "Very urgent",
    "Akhir pekan": "Weekend",
    "Hari libur akhir pekan": "Weekend days off",
    "akhir pekan": "weekend",
    "Paling sedikit satu hari harus tetap hari kerja.": "At least one day must remain a working day.",
    "Hari libur akhir pekan disimpan.": "Weekend days saved.",
    "Hari libur tahun {year}": "Holidays in {year}",
    "Tahun": "Year",
    "Tahun {year}": "Year {year}",
    "Tanggal": "Date",
    "Nama hari libur": "Holiday name",
    "Belum ada hari libur tahun ini.": "No holidays this year yet.",
    "Tambah hari libur": "Add a holiday",
    "Libur nasional, cuti bersama dan hari libur daerah.": (
        "National holidays, collective leave days (cuti bersama) and regional holidays."
    ),
    "Tambah": "Add",
    "Hari libur {day} ditambahkan.": "Holiday {day} added.",
    "Hari libur {day} dihapus.": "Holiday {day} deleted.",
    "Instruksi disposisi": "Disposition instructions",
    'Pilihan "Dengan hormat harap" pada lembar disposisi, dalam urutan ini. Disposisi yang sudah diberikan tetap memakai teks saat diberikan.': (
        'The "Please ..." choices of the disposition sheet, in this order. Dispositions already given keep the '
        "wording they were given with."
    ),
    "Teks instruksi": "Instruction text",
    "Teks dalam bahasa Inggris": "Text in English",
    "Naik": "Up",
    "Turun": "Down",
    "Ubah": "Edit",
    "Nonaktifkan": "Deactivate",
    "Aktifkan kembali": "Reactivate",
    "Belum ada instruksi.": "No instructions yet.",
    "Ubah instruksi": "Edit the instruction",
    "Tambah instruksi": "Add an instruction",
    "Ditampilkan kepada pembaca yang memilih bahasa Inggris; kosong: teks Indonesia.": (
        "Shown to readers who chose English; empty: the Indonesian text."
    ),
    "Instruksi ditambahkan.": "Instruction added.",
    "Instruksi diubah.": "Instruction changed.",
    "Instruksi dinonaktifkan.": "Instruction deactivated.",
    "Instruksi diaktifkan kembali.": "Instruction reactivated.",
}.items():
    EN.setdefault(_indonesian, _english)

# Comments on a task (webapp/views/task_actions.py)
for _indonesian, _english in {
    "Tulis komentar": "Write a comment",
    "Komentar tampil di riwayat proses dan dikirim kepada penerima tugas ini.":
        "The comment shows in the process history and is sent to the people this task is for.",
    "Komentar": "Comment",
    "Kirim komentar": "Send comment",
    "Komentar ditambahkan.": "Comment added.",
}.items():
    EN.setdefault(_indonesian, _english)

# The letter lists (/surat) and the inbox filter bar (webapp/views/letter_lists.py,
# templates/letters/list*.html, inbox.html)
for _indonesian, _english in {
    "Surat": "Letters",
    "Daftar surat": "Letter lists",
    "Untuk saya": "For me",
    "Disposisi saya": "My dispositions",
    "Registrasi saya": "My registrations",
    "Agenda masuk": "Incoming agenda",
    "Belum dibaca": "Unread",
    "Dibaca": "Read",
    "Diteruskan": "Forwarded",
    "Ditindaklanjuti": "Followed up",
    "Selesai": "Completed",
    "Dibatalkan": "Cancelled",
    "Menunggu disposisi": "Awaiting disposition",
    "Didisposisikan": "Disposed",
    "Diarsipkan": "Archived",
    "Biasa": "Normal",
    "Segera": "Urgent",
    "Sangat segera": "Very urgent",
    "Terbatas": "Restricted",
    "Rahasia": "Secret",
    "Sangat rahasia": "Top secret",
    "Nota dinas": "Memorandum (nota dinas)",
    "Memo": "Memo",
    "Surat dinas": "Official letter",
    "Surat undangan": "Invitation",
    "Surat edaran": "Circular",
    "Surat keputusan": "Decree",
    "Surat perintah": "Order",
    "Surat tugas": "Assignment letter",
    "Instruksi": "Instruction",
    "Peraturan": "Regulation",
    "SOP": "SOP",
    "Perjanjian": "Agreement",
    "Surat kuasa": "Power of attorney",
    "Berita acara": "Official report (berita acara)",
    "Surat keterangan": "Certificate",
    "Surat pengantar": "Cover letter",
    "Pengumuman": "Announcement",
    "Laporan": "Report",
    "Telaahan staf": "Staff review (telaahan staf)",
    "Notula": "Minutes",
    "Lainnya": "Other",
    "Terlambat": "Overdue",
    "(rahasia)": "(secret)",
    "Agenda": "Agenda",
    "Perihal": "Subject",
    "Dari": "From",
    "Kepada": "To",
    "Batas waktu": "Due",
    "Status": "Status",
    "Belum ada disposisi untuk Anda.": "No dispositions for you yet.",
    "Anda belum memberikan disposisi.": "You have not given any dispositions.",
    "Pengirim": "Sender",
    "Diterima": "Received",
    "Disposisi": "Disposition",
    "Anda belum meregistrasi surat.": "You have not registered any letters.",
    "Tahun": "Year",
    "Urgensi": "Urgency",
    "Semua": "All",
    "Sifat": "Classification level",
    "Klasifikasi": "Classification",
    "Diterima dari tanggal": "Received from",
    "sampai tanggal": "until",
    "Cari perihal, pengirim atau nomor": "Search subject, sender or number",
    "Terapkan": "Apply",
    "Hapus filter": "Clear filters",
    "Perihal surat rahasia tidak ditampilkan dan tidak ikut dicari.": (
        "The subject of a secret letter is neither shown nor searched."
    ),
    "No. agenda": "Agenda no.",
    "Unit": "Unit",
    "Nomor dan tanggal surat": "Letter number and date",
    "Nomor": "Number",
    "Halaman": "Pages",
    "Sebelumnya": "Previous",
    "Berikutnya": "Next",
    "Tidak ada surat masuk yang cocok pada tahun {year}.": "No matching incoming letters in {year}.",
    "Saring dan urutkan": "Filter and sort",
    "Filter aktif": "Filter on",
    "Jenis naskah": "Document type",
    "pengirim atau pemberi disposisi": "sender or disposer",
    "Masuk dari tanggal": "Arrived from",
    "Urutan": "Order",
    "Batas waktu terdekat": "Nearest due date",
    "Terbaru": "Newest",
    "Hanya yang terlambat": "Overdue only",
    "Dari {who}": "From {who}",
    "Tidak ada tugas yang cocok dengan filter ini.": "No tasks match this filter.",
}.items():
    EN.setdefault(_indonesian, _english)

# Incoming letters: registration, the letter page, the disposition tasks, the printable sheet
# (webapp/views/letters*.py keep their sentences beside them: webapp/views/letters_english.py).
from webapp.views.letters_english import EN_LETTERS  # noqa: E402

for _indonesian, _english in EN_LETTERS.items():
    EN.setdefault(_indonesian, _english)

# The outgoing-letter number register (webapp/admin/numbering.py, admin/numbering.html)
for _indonesian, _english in {
    "Penomoran": "Numbering",
    "Penomoran surat keluar": "Outgoing letter numbers",
    "Register nomor surat keluar: format nomor, pembatalan nomor dan nomor sisipan.": (
        "The register of outgoing letter numbers: number format, voiding numbers and sisipan numbers."
    ),
    "Nomor diambil otomatis saat surat ditandatangani. Nomor yang dibatalkan tetap tercatat dan tidak dipakai lagi.": (
        "A number is taken automatically when a letter is signed. A voided number stays in the register "
        "and is never used again."
    ),
    "Format nomor": "Number format",
    "Format": "Format",
    "Contoh": "Example",
    "Seri nomor urut": "Number series",
    "Kode wilayah (Kemendagri)": "Region code (Kemendagri)",
    "Kuota nomor sisipan per unit per hari": "Sisipan numbers allowed per unit per day",
    "Satu nomor urut per unit per tahun": "One sequence per unit per year",
    "Nomor urut sendiri untuk tiap jenis naskah": "A sequence of its own for each document type",
    "Nomor urut sendiri untuk tiap kode klasifikasi pokok (mis. 800)": (
        "A sequence of its own for each top-level classification code (e.g. 800)"
    ),
    "Unsur yang dapat dipakai: {tokens}. {{urut:3}} menulis nomor urut tiga angka (001).": (
        "Elements you can use: {tokens}. {{urut:3}} writes the sequence number with three digits (001)."
    ),
    "Pratinjau": "Preview",
    "Seri hanya dapat diubah sebelum ada nomor pada tahun berjalan.": (
        "The series can only change before the current year has any numbers."
    ),
    "Pengaturan penomoran disimpan.": "Numbering settings saved.",
    "Register nomor {unit} tahun {year}": "Number register of {unit}, {year}",
    "Tampilkan": "Show",
    "Seri": "Series",
    "Keterangan": "Notes",
    "batal": "void",
    "terpakai": "in use",
    "sisipan": "sisipan",
    "Surat #{id}": "Letter #{id}",
    "Dibatalkan: {reason}": "Voided: {reason}",
    "Belum ada nomor pada tahun ini.": "No numbers in this year yet.",
    "Batalkan nomor {nomor}": "Void number {nomor}",
    "Batalkan nomor": "Void number",
    "Nomor tetap tercatat sebagai batal dan tidak dipakai lagi; suratnya ikut dibatalkan.": (
        "The number stays in the register as void and is never used again; its letter is cancelled too."
    ),
    "Nomor {nomor} dibatalkan.": "Number {nomor} voided.",
    "Nomor sisipan": "Sisipan numbers",
    "Untuk surat yang terlewat dari register: nomor 15a, 15b sesudah nomor 15, bertanggal antara nomor 15 "
    "dan nomor berikutnya. Kuota: {n} per unit per hari.": (
        "For a letter that missed the register: numbers 15a, 15b after number 15, dated between number 15 "
        "and the next number. Quota: {n} per unit per day."
    ),
    "Sesudah nomor urut": "After sequence number",
    "Alasan nomor sisipan": "Reason for the sisipan number",
    "Otomatis": "Automatic",
    "Buat nomor sisipan": "Create sisipan number",
    "Nomor sisipan {nomor} dibuat.": "Sisipan number {nomor} created.",
}.items():
    EN.setdefault(_indonesian, _english)

# Agenda books and their export, tracking a letter, the head's dashboard (webapp/views/letter_lists.py,
# agenda_export.py, letters_tracking.py, dashboard.py; templates/letters/list_agenda_keluar.html,
# agenda_export.html, tracking.html; dashboard.html)
for _indonesian, _english in {
    "Agenda keluar": "Outgoing agenda",
    "Konsep": "Draft",
    "Dalam paraf": "Being initialled",
    "Menunggu tanda tangan": "Awaiting signature",
    "Ditandatangani": "Signed",
    "Terkirim": "Sent",
    "Ditarik kembali": "Withdrawn",
    "Terpakai": "In use",
    "Sisipan": "Inserted",
    "No. urut": "Serial no.",
    "Tanggal nomor dari": "Numbered from",
    "Cari nomor atau perihal": "Search number or subject",
    "Setiap nomor yang pernah diberikan tercatat di sini, termasuk nomor yang dibatalkan beserta alasannya. "
    "Perihal surat rahasia tidak ditampilkan dan tidak ikut dicari.": (
        "Every number ever given is listed here, voided numbers included with their reason. "
        "The subject of a secret letter is neither shown nor searched."
    ),
    "Tidak ada nomor surat keluar yang cocok pada tahun {year}.": "No matching outgoing numbers in {year}.",
    "Unduh buku agenda:": "Download the agenda book:",
    "Excel (XLSX)": "Excel (XLSX)",
    "CSV": "CSV",
    "Lacak surat": "Track the letter",
    "Lacak": "Track",
    "{count} proses masih berjalan": "{count} processes still running",
    "Rantai paraf": "Initialling chain",
    "Putaran {number}": "Round {number}",
    "Oleh": "By",
    "Waktu": "Time",
    "Diparaf": "Initialled",
    "Dikembalikan": "Returned",
    "Direvisi dan diparaf": "Revised and initialled",
    "Dilewati": "Skipped",
    "paraf koordinasi": "coordination initial",
    "paraf tetap": "standing initial",
    "Distribusi": "Distribution",
    "Diterima unit tujuan sebagai surat masuk": "Received by the recipient units as incoming letters",
    "Ekspedisi ke penerima luar": "Dispatch to outside recipients",
    "Belum dikirim": "Not sent yet",
    "Proses surat ini": "Processes of this letter",
    "Disposisi kepada {name}": "Disposition to {name}",
    "Registrasi dan disposisi pimpinan": "Registration and the head's disposition",
    "Konsep, paraf, tanda tangan dan pengiriman": "Drafting, initials, signature and sending",
    "Sedang di:": "Now with:",
    "belum ada pejabat": "no official yet",
    "Tidak ada tugas yang menunggu orang; proses menunggu pewaktu atau pesan.": (
        "No task is waiting for a person; the process waits for a timer or a message."
    ),
    "Belum ada proses untuk surat ini.": "No process for this letter yet.",
    "Posisi sekarang": "Where it is now",
    "Tidak ada yang sedang menunggu tindakan.": "Nothing is waiting for anyone.",
    "Dasbor": "Dashboard",
    "Pekerjaan Anda dan jabatan di bawah Anda: disposisi yang belum selesai, konsep naskah, dan yang menunggu "
    "paraf atau tanda tangan Anda.": (
        "Your work and that of the positions below you: unfinished dispositions, drafts, and what waits for "
        "your initials or signature."
    ),
    "Disposisi terbuka": "Open dispositions",
    "Lewat batas waktu": "Overdue",
    "Konsep naskah berjalan": "Drafts in progress",
    "Menunggu paraf atau tanda tangan Anda": "Waiting for your initials or signature",
    "Per jabatan bawahan": "By subordinate position",
    "Semua bawahan langsung, dan jabatan di bawahnya yang masih memiliki pekerjaan terbuka.": (
        "Every direct report, and the positions further down that still have open work."
    ),
    "Pejabat": "Official",
    "Atasan langsung": "Reports to",
    "Konseptor": "Drafter",
    "Tidak ada jabatan di bawah Anda.": "No positions report to you.",
    "Disposisi lewat batas waktu": "Overdue dispositions",
    "Disposisi terbuka dari Anda dan bawahan": "Open dispositions from you and your team",
    "Konsep naskah keluar yang berjalan": "Outgoing drafts in progress",
}.items():
    EN.setdefault(_indonesian, _english)

# Outgoing letters: drafting, paraf, signing, revision, ekspedisi (webapp/views/outgoing_english.py).
from webapp.views.outgoing_english import EN_OUTGOING  # noqa: E402

for _indonesian, _english in EN_OUTGOING.items():
    EN.setdefault(_indonesian, _english)

# The signing-authority table (webapp/admin/signing_rules.py, admin/signing_rules.html)
for _indonesian, _english in {
    "Kewenangan tanda tangan": "Signing authority",
    "Siapa menandatangani naskah menurut jenis dan tujuannya, dengan a.n. dan u.b.; naskah strategis yang "
    "tidak ditandatangani Plt./Plh.": (
        "Who signs a letter by its type and recipients, with a.n. and u.b.; the strategic letters an acting "
        "official (Plt./Plh.) does not sign."
    ),
    "Siapa yang dapat dipilih konseptor sebagai penandatangan, menurut jenis naskah dan tujuannya, dengan a.n. "
    "dan u.b. Aturan perangkat daerah dibaca lebih dahulu, lalu aturan seluruh Pemda.": (
        "Whom a drafter may choose as the signer, by the letter's type and recipients, with a.n. (on behalf of) "
        "and u.b. (further down). An agency's own rules come first, then the rules for the whole Pemda."
    ),
    "Blok tanda tangan dipratinjau untuk seorang staf perangkat daerah aturan itu; aturan seluruh Pemda dan "
    "aturan bawaan untuk {position} ({unit}).": (
        "Each signature block is previewed for a staff member of the rule's agency; the rules for the whole "
        "Pemda and the built-in rules for {position} ({unit})."
    ),
    "Berlaku untuk": "Applies to",
    "a.n.": "a.n. (on behalf of)",
    "u.b.": "u.b. (further down)",
    "Blok tanda tangan": "Signature block",
    "Belum ada aturan.": "No rules yet.",
    "Belum ada aturan untuk seluruh Pemda, jadi aturan bawaan berlaku bagi perangkat daerah yang tidak memiliki "
    "aturan sendiri:": (
        "There is no rule for the whole Pemda yet, so the built-in rules apply to every agency without rules of "
        "its own:"
    ),
    "Aturan bawaan tidak berlaku lagi begitu aturan pertama untuk seluruh Pemda ditambahkan.": (
        "The built-in rules stop applying as soon as the first rule for the whole Pemda is added."
    ),
    "Kepala unit konseptor, untuk naskah di dalam perangkat daerah": (
        "The head of the drafter's unit, for letters within the agency"
    ),
    "Kepala perangkat daerah, untuk semua naskah": "The head of the agency, for any letter",
    "Tambah aturan": "Add a rule",
    "Bila penandatangan jabatan tertentu.": "When the signer is a specific position.",
    "Bila a.n. jabatan tertentu.": "When a.n. names a specific position.",
    "Penandatangan dua tingkat atau lebih di bawah pejabat a.n., mis. a.n. Bupati, Sekretaris Daerah u.b. "
    "Kepala Dinas.": (
        "The signer is two or more levels below the a.n. principal, e.g. a.n. the Bupati, the Regional "
        "Secretary, u.b. a Head of Agency."
    ),
    "Urutan pilihan bagi konseptor; angka kecil lebih dahulu.": (
        "The order in which the drafter sees the choices; lower numbers first."
    ),
    "Aturan dibuat per perangkat daerah; unit Anda bukan perangkat daerah.": (
        "Rules are made per agency; your unit is not an agency."
    ),
    "Naskah strategis": "Strategic letters",
    "Plt. dan Plh. tidak menandatangani naskah strategis (organisasi, kepegawaian, alokasi anggaran): jenis "
    "naskah ini, dan kode klasifikasi ini beserta turunannya.": (
        "An acting official (Plt./Plh.) does not sign strategic letters (organisation, staffing, budget "
        "allocation): these types of letter, and these classification codes with the codes below them."
    ),
    "Kode klasifikasi": "Classification code",
    "Dipisahkan koma, mis. 000.8, 800, 900.1.": "Separated by commas, e.g. 000.8, 800, 900.1.",
    "Jabatan penandatangan": "Signer's position",
    "Atas nama (a.n.)": "On behalf of (a.n.)",
    "Jabatan a.n.": "Position signed for (a.n.)",
    "u.b. (untuk beliau)": "u.b. (for the principal, further down)",
    "Jenis naskah strategis": "Strategic types of letter",
    "Kode klasifikasi strategis": "Strategic classification codes",
    "Kepala unit konseptor": "Head of the drafter's unit",
    "Kepala perangkat daerah": "Head of the agency",
    "Kepala daerah": "Regional head",
    "Jabatan tertentu": "A specific position",
    "Semua tujuan": "Any recipients",
    "Di dalam perangkat daerah": "Within the agency",
    "Antar perangkat daerah": "Between agencies",
    "Ke luar Pemda": "Outside the Pemda",
    "Semua jenis": "Every type",
    "Tidak (menandatangani sendiri)": "No (signs in their own name)",
    "Aturan tanda tangan ditambahkan.": "Signing rule added.",
    "Aturan tanda tangan dihapus.": "Signing rule deleted.",
    "Daftar naskah strategis disimpan.": "Strategic letters saved.",
}.items():
    EN.setdefault(_indonesian, _english)

# The letter's PDF preview (webapp/views/letter_pdf.py)
EN.setdefault("Pratinjau PDF", "PDF preview")

# The public verification page (webapp/views/verify.py, templates/verify.html)
for _indonesian, _english in {
    "Verifikasi dokumen": "Document verification",
    "Verifikasi tanda tangan elektronik": "Electronic signature verification",
    "Dokumen sah": "Document is valid",
    "Dokumen telah diubah": "Document has been altered",
    "Tanda tangan tidak sah": "Signature is not valid",
    "Tanda tangan tidak dapat diperiksa": "Signature cannot be checked",
    "Penandatangan tidak dipercaya": "Signer is not trusted",
    "Dokumen diubah setelah ditandatangani": "Document changed after signing",
    "Dokumen tidak ditandatangani": "Document is not signed",
    "Bukan berkas PDF": "Not a PDF file",
    "Berkas PDF": "PDF file",
    "Naskah": "Letter",
    "Nomor": "Number",
    "Tanggal": "Date",
    "Unit": "Unit",
    "Hal": "Subject",
    "Berkas ini tidak tercatat sebagai naskah bertanda tangan di Lontar.":
        "This file is not recorded as a signed letter in Lontar.",
    "Tanda tangan {n}": "Signature {n}",
    "Penanda tangan": "Signer",
    "NIP": "NIP",
    "Waktu": "Time",
    "Penerbit sertifikat": "Certificate issuer",
    "Isi utuh": "Content intact",
    "Sertifikat dipercaya": "Certificate trusted",
    "Diubah setelah ditandatangani": "Changed after signing",
    "Hasil": "Result",
    "Ya": "Yes",
    "Tidak": "No",
    "Unggah naskah PDF bertanda tangan (maksimal {mb} MB)": "Upload a signed PDF letter (at most {mb} MB)",
    "Berkas hanya diperiksa, tidak disimpan.": "The file is only checked, not stored.",
    "Periksa": "Check",
    "Periksa berkas PDF lain": "Check another PDF file",
    "Pilih berkas PDF yang akan diperiksa.": "Choose the PDF file to check.",
    "Terlalu banyak pemeriksaan. Coba lagi dalam {minutes} menit.": "Too many checks. Try again in {minutes} minutes.",
}.items():
    EN.setdefault(_indonesian, _english)

# The signer's electronic signature on the sign page (engine/documents/sealing.py).
for _indonesian, _english in {
    "Frasa sandi": "Passphrase",
    "Frasa sandi salah. Naskah tidak ditandatangani.": "Wrong passphrase. The letter was not signed.",
    "Frasa sandi kunci tanda tangan elektronik Anda. Naskah PDF ditandatangani dengan tanda tangan elektronik "
    "(PAdES) dan kode QR verifikasi; frasa sandi tidak disimpan.":
        "The passphrase of your electronic signature key. The PDF letter is signed with an electronic signature "
        "(PAdES) and a verification QR code; the passphrase is not stored.",
}.items():
    EN.setdefault(_indonesian, _english)

# The letter page's link to the stored signed PDF (webapp/views/letter_pdf.py)
EN.setdefault("Unduh PDF bertanda tangan", "Download the signed PDF")
