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
}
