"""English for the admin pages and "Delegasi saya" (merged into webapp.translations_en.EN)."""

EN_ADMIN: dict[str, str] = {
    # base.html and the admin frame
    "Admin": "Admin",
    "Delegasi saya": "My delegations",
    "Menu admin": "Admin menu",
    "Ringkasan": "Overview",
    "Unit dan jabatan": "Units and positions",
    "Pengguna": "People",
    "Pemetaan peran": "Role mappings",
    "Impor dan ekspor": "Import and export",
    "Simpan": "Save",
    "Batal": "Cancel",
    "Kembali": "Back",
    "Cabut": "Revoke",
    "Hapus": "Delete",
    "Tidak ada.": "None.",
    "Perubahan disimpan.": "Changes saved.",
    "Seluruh Pemda": "The whole Pemda",
    # overview
    "Admin organisasi": "Organisation admin",
    "Anda mengelola seluruh Pemda.": "You manage the whole Pemda.",
    "Anda mengelola:": "You manage:",
    "{units} unit, {positions} jabatan": "{units} units, {positions} positions",
    "Pohon unit, jabatan, atasan, kepala unit dan eselon; siapa memegang jabatan (definitif, Plt, Plh, Pj, Pjs).": (
        "The unit tree, positions, superiors, heads of unit and eselon; who holds each position "
        "(definitif, Plt, Plh, Pj, Pjs)."
    ),
    "{n} orang": "{n} people",
    "Akun, kata sandi, peran (TU/pencatat, admin), delegasi.": "Accounts, passwords, roles (TU/registrar, admin), delegations.",
    "Peran dalam diagram (lane, candidateGroups) menjadi jabatan atau peran di unit Anda.": (
        "Roles named in diagrams (lanes, candidateGroups) become positions or roles in your units."
    ),
    "Tiga berkas CSV: units.csv, positions.csv, users.csv.": "Three CSV files: units.csv, positions.csv, users.csv.",
    # units and positions
    "Unit": "Unit",
    "Kode": "Code",
    "Jenis": "Kind",
    "Jabatan": "Positions",
    "Tambah unit": "Add a unit",
    "Ubah unit": "Edit the unit",
    "Unit {code} dibuat.": "Unit {code} created.",
    "— tanpa induk —": "— no parent —",
    "Huruf besar, angka dan titik, mis. DINKES.P2P. Dipakai di berkas CSV.": (
        "Capital letters, digits and dots, e.g. DINKES.P2P. Used in the CSV files."
    ),
    "Pemegang hari ini": "Holder today",
    "Atasan langsung": "Direct superior",
    "Kepala unit": "Head of unit",
    "Lowong": "Vacant",
    "Belum ada jabatan.": "No positions yet.",
    "Unit di bawahnya": "Units below",
    "Pemetaan peran unit ini": "This unit's role mappings",
    "Mewarisi dari unit di atasnya.": "Inherited from the units above.",
    "Atur pemetaan peran": "Set role mappings",
    "Tambah jabatan": "Add a position",
    "Ubah jabatan": "Edit the position",
    "Jabatan {code} dibuat.": "Position {code} created.",
    "Kode tetap jabatan, mis. DINKES.P2P.KABID. Dipakai di berkas CSV.": (
        "The position's permanent code, e.g. DINKES.P2P.KABID. Used in the CSV files."
    ),
    "— tanpa atasan —": "— no superior —",
    "— tanpa eselon (fungsional/pelaksana) —": "— no eselon (functional/staff) —",
    "Eselon": "Eselon",
    "Pemegang jabatan": "Holders",
    "Nama": "Name",
    "Periode": "Period",
    "Nomor SK": "Decree (SK) number",
    "sekarang": "now",
    "Akan datang": "Upcoming",
    "Aktif": "Active",
    "Akhiri": "End",
    "Akhiri penugasan": "End the appointment",
    "Pilih kemarin agar tugas jabatan ini langsung berpindah hari ini.": (
        "Choose yesterday so that this position's tasks move today."
    ),
    "Jabatan ini lowong.": "This position is vacant.",
    "Tugaskan pegawai": "Appoint someone",
    "Tugaskan": "Appoint",
    "Plt: jabatan lowong. Plh: pejabat definitif berhalangan sementara. Plt/Plh paling lama 3 bulan, diperpanjang sekali 3 bulan.": (
        "Plt: the position is vacant. Plh: the permanent holder is temporarily away. A Plt/Plh lasts at most "
        "3 months, extended once by 3 months."
    ),
    "{name} ditugaskan sebagai {kind}.": "{name} appointed as {kind}.",
    "Penugasan diakhiri.": "Appointment ended.",
    "Penugasan dibatalkan karena belum pernah berlaku.": "The appointment never took effect and was removed.",
    # people
    "Tambah pengguna": "Add a person",
    "Cari nama, nama pengguna atau NIP": "Search by name, username or NIP",
    "Cari": "Search",
    "Jabatan hari ini": "Position today",
    "Nonaktif": "Deactivated",
    "Belum punya kata sandi": "No password yet",
    "Tidak ada yang cocok.": "Nothing matches.",
    "Halaman": "Pages",
    "Sebelumnya": "Previous",
    "Berikutnya": "Next",
    "Halaman {page} dari {pages}": "Page {page} of {pages}",
    "Huruf kecil, angka, titik; dipakai untuk masuk.": "Lowercase letters, digits, dots; used to log in.",
    "Paling sedikit 10 karakter. Sampaikan kepada yang bersangkutan secara langsung.": (
        "At least 10 characters. Hand it to the person directly."
    ),
    "Pengguna {username} dibuat.": "User {username} created.",
    "— tanpa jabatan —": "— no position —",
    "NIP": "NIP",
    "Tidak memegang jabatan di unit Anda.": "Holds no position in your units.",
    "Untuk menugaskan atau mengakhiri, buka halaman jabatannya.": "To appoint or end, open the position's page.",
    "Peran": "Roles",
    "Tidak ada peran.": "No roles.",
    "Tambah peran": "Add the role",
    "Peran ditambahkan.": "Role added.",
    "Peran dicabut.": "Role revoked.",
    "Delegasi": "Delegations",
    "Data pengguna": "Personal data",
    "Kata sandi diganti.": "Password changed.",
    "Paling sedikit 10 karakter.": "At least 10 characters.",
    "Ganti kata sandi": "Change the password",
    "Akun": "Account",
    "Nonaktifkan akun": "Deactivate the account",
    "Aktifkan akun": "Activate the account",
    "Akun nonaktif tidak dapat masuk; jabatannya tetap tercatat sampai diakhiri.": (
        "A deactivated account cannot log in; its appointments stay recorded until they are ended."
    ),
    "Akun diaktifkan.": "Account activated.",
    "Akun dinonaktifkan.": "Account deactivated.",
    # delegations
    "Selama periode delegasi, wakil Anda ikut melihat dan mengerjakan tugas di kotak masuk Anda; jejak audit mencatat keduanya.": (
        "During the delegation your deputy also sees and works the tasks in your inbox; the audit trail "
        "records you both."
    ),
    "Wakil saya": "My deputies",
    "{deputy} mewakili, {start} – {end}": "{deputy} deputises, {start} – {end}",
    "Tidak ada delegasi.": "No delegations.",
    "Saya mewakili": "I deputise for",
    "{principal}, {start} – {end}": "{principal}, {start} – {end}",
    "Tunjuk wakil": "Name a deputy",
    "Simpan delegasi": "Save the delegation",
    "Delegasi disimpan.": "Delegation saved.",
    "Delegasi dicabut.": "Delegation revoked.",
    # role mappings
    "Lane dan candidateGroups dalam diagram menyebut peran, mis. sekretaris. Di sini peran itu menjadi jabatan atau peran di unit. Unit tanpa pemetaan sendiri mewarisi dari unit di atasnya, lalu dari pemetaan seluruh Pemda, lalu aturan bawaan.": (
        "Lanes and candidateGroups in a diagram name roles, e.g. sekretaris. Here a role becomes a position or "
        "a role in a unit. A unit without its own mapping inherits from the units above it, then from the "
        "Pemda-wide mapping, then the built-in rules."
    ),
    "Menjadi": "Becomes",
    "Belum ada pemetaan.": "No mappings yet.",
    "Atur pemetaan": "Set a mapping",
    "Bila menjadi jabatan tertentu.": "When it becomes a given position.",
    "Bila menjadi peran non-jabatan.": "When it becomes a non-position role.",
    "Pemetaan peran disimpan.": "Role mapping saved.",
    "Pemetaan peran dihapus.": "Role mapping deleted.",
    # import and export
    "Ekspor": "Export",
    "Unduh organisasi yang Anda kelola sebagai tiga berkas CSV; berkas yang sama dapat diubah lalu diimpor kembali.": (
        "Download the organisation you manage as three CSV files; the same files can be edited and imported back."
    ),
    "Unduh ketiganya (zip)": "Download all three (zip)",
    "Impor": "Import",
    "Unggah satu, dua atau ketiga berkas. Anda akan melihat pratinjau perubahan dulu; tidak ada yang disimpan sebelum Anda menyetujuinya. Bila ada satu baris yang salah, tidak ada yang diimpor.": (
        "Upload one, two or all three files. You see a preview of the changes first; nothing is saved before "
        "you confirm. If one row is wrong, nothing is imported."
    ),
    "Pengguna baru belum punya kata sandi; berikan dari halaman pengguna. Impor tidak pernah menghapus: akhiri penugasan dengan valid_to, nonaktifkan akun dengan active=0.": (
        "New people have no password yet; give them one on their page. An import never deletes: end an "
        "appointment with valid_to, deactivate an account with active=0."
    ),
    "Impor dibatalkan, tidak ada yang diubah. Perbaiki baris berikut:": (
        "Import cancelled, nothing was changed. Fix these rows:"
    ),
    "Periksa (pratinjau)": "Check (preview)",
    "Pilih paling sedikit satu berkas.": "Choose at least one file.",
    "Hasil impor": "Import result",
    "Pratinjau impor": "Import preview",
    "Penugasan": "Appointments",
    "Dibuat": "Created",
    "Diubah": "Updated",
    "Tetap": "Unchanged",
    "Dicabut": "Revoked",
    "{n} perubahan": "{n} changes",
    "Simpan perubahan ini": "Save these changes",
    "Tidak ada yang perlu diubah.": "Nothing needs to change.",
    "Impor selesai: {n} perubahan.": "Import done: {n} changes.",
    "Pratinjau sudah kedaluwarsa. Unggah berkasnya lagi.": "The preview has expired. Upload the files again.",
    # form labels (webapp/admin/forms.py)
    "Kode unit": "Unit code",
    "Nama unit": "Unit name",
    "Jenis unit": "Unit kind",
    "Unit induk": "Parent unit",
    "Kode jabatan": "Position code",
    "Nama jabatan": "Position name",
    "Kepala unit ini": "Head of this unit",
    "Nama lengkap dan gelar": "Full name and titles",
    "Pangkat/golongan": "Rank/grade (pangkat/golongan)",
    "Surel": "E-mail",
    "Kata sandi awal": "First password",
    "Jabatan awal (definitif mulai hari ini)": "First position (definitif from today)",
    "Kata sandi baru": "New password",
    "Ulangi kata sandi baru": "Repeat the new password",
    "Jenis peran": "Role",
    "Di unit": "In unit",
    "Pegawai (nama pengguna atau NIP)": "Employee (username or NIP)",
    "Jenis penugasan": "Kind of appointment",
    "Mulai tanggal": "From",
    "Sampai tanggal (kosong: tanpa batas)": "Until (empty: open-ended)",
    "Sampai tanggal": "Until",
    "Hari terakhir menjabat": "Last day in office",
    "Wakil (nama pengguna atau NIP)": "Deputy (username or NIP)",
    "Alasan (cuti, dinas luar...)": "Reason (leave, official travel...)",
    "Berlaku di unit (dan unit di bawahnya)": "Applies in unit (and the units below)",
    "Kunci peran (nama lane atau candidateGroups)": "Role key (lane name or candidateGroups)",
    "Peran non-jabatan": "Non-position role",
    "units.csv": "units.csv",
    "positions.csv": "positions.csv",
    "users.csv": "users.csv",
}
