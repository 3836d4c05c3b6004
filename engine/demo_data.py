"""The demo Pemkab as data: units, positions (jabatan), people, an acting official, role mappings.

Kabupaten Lontar: Bupati and Wakil Bupati; the Sekretariat Daerah with three Asisten; the
Inspektorat; two Dinas and two Badan, each with a Kepala, a Sekretariat and two Bidang; a
Kecamatan with its Sekretariat and two Desa.  Every SKPD has a TU (pencatat) and an admin of
its own.  The Bidang P2P of the Dinas Kesehatan is vacant: its Sekretaris is Plt.
"""

from __future__ import annotations

from dataclasses import dataclass

UNITS = [
    # code, name, kind, parent code
    ("PEMKAB", "Pemerintah Kabupaten Lontar", "pemda", None),
    ("SETDA", "Sekretariat Daerah", "setda", "PEMKAB"),
    ("SETDA.PEMKESRA", "Asisten Pemerintahan dan Kesejahteraan Rakyat", "asisten", "SETDA"),
    ("SETDA.PEMKESRA.TAPEM", "Bagian Tata Pemerintahan", "bagian", "SETDA.PEMKESRA"),
    ("SETDA.EKBANG", "Asisten Perekonomian dan Pembangunan", "asisten", "SETDA"),
    ("SETDA.EKBANG.PBJ", "Bagian Pengadaan Barang dan Jasa", "bagian", "SETDA.EKBANG"),
    ("SETDA.ADUM", "Asisten Administrasi Umum", "asisten", "SETDA"),
    ("SETDA.ADUM.UMUM", "Bagian Umum", "bagian", "SETDA.ADUM"),
    ("SETDA.ADUM.ORG", "Bagian Organisasi", "bagian", "SETDA.ADUM"),
    ("INSPEKTORAT", "Inspektorat Daerah", "inspektorat", "PEMKAB"),
    ("INSPEKTORAT.SEKRE", "Sekretariat Inspektorat", "sekretariat_opd", "INSPEKTORAT"),
    ("INSPEKTORAT.IRBAN1", "Inspektur Pembantu Wilayah I", "irban", "INSPEKTORAT"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", "PEMKAB"),
    ("DISKOMINFO.SEKRE", "Sekretariat Dinas Kominfo", "sekretariat_opd", "DISKOMINFO"),
    ("DISKOMINFO.APTIKA", "Bidang Aplikasi Informatika", "bidang", "DISKOMINFO"),
    ("DISKOMINFO.IKP", "Bidang Informasi dan Komunikasi Publik", "bidang", "DISKOMINFO"),
    ("DINKES", "Dinas Kesehatan", "dinas", "PEMKAB"),
    ("DINKES.SEKRE", "Sekretariat Dinas Kesehatan", "sekretariat_opd", "DINKES"),
    ("DINKES.YANKES", "Bidang Pelayanan Kesehatan", "bidang", "DINKES"),
    ("DINKES.P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "bidang", "DINKES"),
    ("BAPPERIDA", "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "badan", "PEMKAB"),
    ("BAPPERIDA.SEKRE", "Sekretariat Bapperida", "sekretariat_opd", "BAPPERIDA"),
    ("BAPPERIDA.PPM", "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", "bidang", "BAPPERIDA"),
    ("BAPPERIDA.RIDA", "Bidang Riset dan Inovasi Daerah", "bidang", "BAPPERIDA"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "PEMKAB"),
    ("BKPSDM.SEKRE", "Sekretariat BKPSDM", "sekretariat_opd", "BKPSDM"),
    ("BKPSDM.MUTASI", "Bidang Mutasi dan Promosi", "bidang", "BKPSDM"),
    ("BKPSDM.BANGKOM", "Bidang Pengembangan Kompetensi Aparatur", "bidang", "BKPSDM"),
    ("KEC.SUKAMAJU", "Kecamatan Sukamaju", "kecamatan", "PEMKAB"),
    ("KEC.SUKAMAJU.SEKRE", "Sekretariat Kecamatan Sukamaju", "sekretariat_opd", "KEC.SUKAMAJU"),
    ("KEC.SUKAMAJU.MEKARSARI", "Desa Mekarsari", "desa", "KEC.SUKAMAJU"),
    ("KEC.SUKAMAJU.SUKARAHAYU", "Desa Sukarahayu", "desa", "KEC.SUKAMAJU"),
]

_SEKDA = "SETDA.SEKDA"
POSITIONS = [
    # code, unit code, name, reports_to code, head of unit, eselon
    ("PEMKAB.BUPATI", "PEMKAB", "Bupati", None, True, None),
    ("PEMKAB.WABUP", "PEMKAB", "Wakil Bupati", "PEMKAB.BUPATI", False, None),
    (_SEKDA, "SETDA", "Sekretaris Daerah", "PEMKAB.BUPATI", True, "II.a"),
    ("SETDA.PEMKESRA.ASISTEN", "SETDA.PEMKESRA", "Asisten Pemerintahan dan Kesejahteraan Rakyat", _SEKDA, True, "II.b"),
    ("SETDA.PEMKESRA.TAPEM.KABAG", "SETDA.PEMKESRA.TAPEM", "Kepala Bagian Tata Pemerintahan",
     "SETDA.PEMKESRA.ASISTEN", True, "III.a"),
    ("SETDA.EKBANG.ASISTEN", "SETDA.EKBANG", "Asisten Perekonomian dan Pembangunan", _SEKDA, True, "II.b"),
    ("SETDA.EKBANG.PBJ.KABAG", "SETDA.EKBANG.PBJ", "Kepala Bagian Pengadaan Barang dan Jasa",
     "SETDA.EKBANG.ASISTEN", True, "III.a"),
    ("SETDA.ADUM.ASISTEN", "SETDA.ADUM", "Asisten Administrasi Umum", _SEKDA, True, "II.b"),
    ("SETDA.ADUM.UMUM.KABAG", "SETDA.ADUM.UMUM", "Kepala Bagian Umum", "SETDA.ADUM.ASISTEN", True, "III.a"),
    ("SETDA.ADUM.UMUM.ARSIPARIS", "SETDA.ADUM.UMUM", "Arsiparis Ahli Pertama", "SETDA.ADUM.UMUM.KABAG", False, None),
    ("SETDA.ADUM.ORG.KABAG", "SETDA.ADUM.ORG", "Kepala Bagian Organisasi", "SETDA.ADUM.ASISTEN", True, "III.a"),
    ("INSPEKTORAT.INSPEKTUR", "INSPEKTORAT", "Inspektur Daerah", "PEMKAB.BUPATI", True, "II.b"),
    ("INSPEKTORAT.SEKRE.SEKRETARIS", "INSPEKTORAT.SEKRE", "Sekretaris Inspektorat", "INSPEKTORAT.INSPEKTUR",
     True, "III.a"),
    ("INSPEKTORAT.SEKRE.PENGADM", "INSPEKTORAT.SEKRE", "Pengadministrasi Perkantoran Inspektorat",
     "INSPEKTORAT.SEKRE.SEKRETARIS", False, None),
    ("INSPEKTORAT.IRBAN1.IRBAN", "INSPEKTORAT.IRBAN1", "Inspektur Pembantu Wilayah I", "INSPEKTORAT.INSPEKTUR",
     True, "III.a"),
    ("INSPEKTORAT.IRBAN1.AUDITOR", "INSPEKTORAT.IRBAN1", "Auditor Ahli Muda", "INSPEKTORAT.IRBAN1.IRBAN", False, None),
    ("DISKOMINFO.KADIS", "DISKOMINFO", "Kepala Dinas Komunikasi dan Informatika", _SEKDA, True, "II.b"),
    ("DISKOMINFO.SEKRE.SEKRETARIS", "DISKOMINFO.SEKRE", "Sekretaris Dinas Kominfo", "DISKOMINFO.KADIS", True, "III.a"),
    ("DISKOMINFO.SEKRE.PENGADM", "DISKOMINFO.SEKRE", "Pengadministrasi Umum", "DISKOMINFO.SEKRE.SEKRETARIS",
     False, None),
    ("DISKOMINFO.APTIKA.KABID", "DISKOMINFO.APTIKA", "Kepala Bidang Aplikasi Informatika", "DISKOMINFO.KADIS",
     True, "III.b"),
    ("DISKOMINFO.APTIKA.PRANATA", "DISKOMINFO.APTIKA", "Pranata Komputer Ahli Muda", "DISKOMINFO.APTIKA.KABID",
     False, None),
    ("DISKOMINFO.IKP.KABID", "DISKOMINFO.IKP", "Kepala Bidang Informasi dan Komunikasi Publik", "DISKOMINFO.KADIS",
     True, "III.b"),
    ("DISKOMINFO.IKP.HUMAS", "DISKOMINFO.IKP", "Pranata Hubungan Masyarakat Ahli Muda", "DISKOMINFO.IKP.KABID",
     False, None),
    ("DINKES.KADIS", "DINKES", "Kepala Dinas Kesehatan", _SEKDA, True, "II.b"),
    ("DINKES.SEKRE.SEKRETARIS", "DINKES.SEKRE", "Sekretaris Dinas Kesehatan", "DINKES.KADIS", True, "III.a"),
    ("DINKES.SEKRE.PENGADM", "DINKES.SEKRE", "Pengelola Layanan Operasional", "DINKES.SEKRE.SEKRETARIS", False, None),
    ("DINKES.YANKES.KABID", "DINKES.YANKES", "Kepala Bidang Pelayanan Kesehatan", "DINKES.KADIS", True, "III.b"),
    ("DINKES.YANKES.ANALIS", "DINKES.YANKES", "Analis Pelayanan Kesehatan", "DINKES.YANKES.KABID", False, None),
    ("DINKES.P2P.KABID", "DINKES.P2P", "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "DINKES.KADIS",
     True, "III.b"),
    ("DINKES.P2P.EPIDEMIOLOG", "DINKES.P2P", "Epidemiolog Kesehatan Ahli Muda", "DINKES.P2P.KABID", False, None),
    ("BAPPERIDA.KABAN", "BAPPERIDA", "Kepala Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", _SEKDA,
     True, "II.b"),
    ("BAPPERIDA.SEKRE.SEKRETARIS", "BAPPERIDA.SEKRE", "Sekretaris Bapperida", "BAPPERIDA.KABAN", True, "III.a"),
    ("BAPPERIDA.SEKRE.PENGADM", "BAPPERIDA.SEKRE", "Pengadministrasi Perkantoran Bapperida",
     "BAPPERIDA.SEKRE.SEKRETARIS", False, None),
    ("BAPPERIDA.PPM.KABID", "BAPPERIDA.PPM", "Kepala Bidang Perencanaan Pemerintahan dan Pembangunan Manusia",
     "BAPPERIDA.KABAN", True, "III.b"),
    ("BAPPERIDA.PPM.PERENCANA", "BAPPERIDA.PPM", "Perencana Ahli Muda", "BAPPERIDA.PPM.KABID", False, None),
    ("BAPPERIDA.RIDA.KABID", "BAPPERIDA.RIDA", "Kepala Bidang Riset dan Inovasi Daerah", "BAPPERIDA.KABAN",
     True, "III.b"),
    ("BAPPERIDA.RIDA.ANALIS", "BAPPERIDA.RIDA", "Analis Kebijakan Ahli Muda", "BAPPERIDA.RIDA.KABID", False, None),
    ("BKPSDM.KABAN", "BKPSDM", "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", _SEKDA, True, "II.b"),
    ("BKPSDM.SEKRE.SEKRETARIS", "BKPSDM.SEKRE", "Sekretaris BKPSDM", "BKPSDM.KABAN", True, "III.a"),
    ("BKPSDM.SEKRE.PENGADM", "BKPSDM.SEKRE", "Pengadministrasi Perkantoran BKPSDM", "BKPSDM.SEKRE.SEKRETARIS",
     False, None),
    ("BKPSDM.MUTASI.KABID", "BKPSDM.MUTASI", "Kepala Bidang Mutasi dan Promosi", "BKPSDM.KABAN", True, "III.b"),
    ("BKPSDM.MUTASI.ANALIS", "BKPSDM.MUTASI", "Analis Sumber Daya Manusia Aparatur Ahli Muda", "BKPSDM.MUTASI.KABID",
     False, None),
    ("BKPSDM.BANGKOM.KABID", "BKPSDM.BANGKOM", "Kepala Bidang Pengembangan Kompetensi Aparatur", "BKPSDM.KABAN",
     True, "III.b"),
    ("BKPSDM.BANGKOM.WIDYAISWARA", "BKPSDM.BANGKOM", "Widyaiswara Ahli Muda", "BKPSDM.BANGKOM.KABID", False, None),
    ("KEC.SUKAMAJU.CAMAT", "KEC.SUKAMAJU", "Camat Sukamaju", _SEKDA, True, "III.a"),
    ("KEC.SUKAMAJU.SEKRE.SEKCAM", "KEC.SUKAMAJU.SEKRE", "Sekretaris Kecamatan Sukamaju", "KEC.SUKAMAJU.CAMAT",
     True, "III.b"),
    ("KEC.SUKAMAJU.SEKRE.PENGADM", "KEC.SUKAMAJU.SEKRE", "Pengadministrasi Perkantoran Kecamatan",
     "KEC.SUKAMAJU.SEKRE.SEKCAM", False, None),
    ("KEC.SUKAMAJU.MEKARSARI.KADES", "KEC.SUKAMAJU.MEKARSARI", "Kepala Desa Mekarsari", "KEC.SUKAMAJU.CAMAT",
     True, None),
    ("KEC.SUKAMAJU.MEKARSARI.SEKDES", "KEC.SUKAMAJU.MEKARSARI", "Sekretaris Desa Mekarsari",
     "KEC.SUKAMAJU.MEKARSARI.KADES", False, None),
    ("KEC.SUKAMAJU.SUKARAHAYU.KADES", "KEC.SUKAMAJU.SUKARAHAYU", "Kepala Desa Sukarahayu", "KEC.SUKAMAJU.CAMAT",
     True, None),
    ("KEC.SUKAMAJU.SUKARAHAYU.SEKDES", "KEC.SUKAMAJU.SUKARAHAYU", "Sekretaris Desa Sukarahayu",
     "KEC.SUKAMAJU.SUKARAHAYU.KADES", False, None),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    nip: str | None
    pangkat: str | None
    position: str | None  # position code, held definitif
    roles: tuple[tuple[str, str | None], ...] = ()
    what: str = ""
    skpd: str = "PEMKAB"  # where the login list shows the person


def _u(username: str, name: str, nip: str | None, pangkat: str | None, position: str | None, what: str,
       skpd: str, roles: tuple[tuple[str, str | None], ...] = ()) -> DemoUser:
    return DemoUser(username, name, nip, pangkat, position, roles, what, skpd)


IV_A, IV_B, IV_C, IV_D = "Pembina (IV/a)", "Pembina Tingkat I (IV/b)", "Pembina Utama Muda (IV/c)", \
    "Pembina Utama Madya (IV/d)"
III_A, III_B, III_C, III_D = "Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)", \
    "Penata Tingkat I (III/d)"
II_C = "Pengatur (II/c)"

USERS = [
    # the people the tests and the README name: keep these as they are
    _u("budi", "Budi Santoso, S.Kom.", "199001012015031001", III_C, "DISKOMINFO.APTIKA.PRANATA",
       "konseptor, Diskominfo", "DISKOMINFO"),
    _u("sari", "Sari Wulandari, S.T., M.T.", "198505052010012002", IV_A, "DISKOMINFO.APTIKA.KABID",
       "atasan (Kabid Aptika)", "DISKOMINFO"),
    _u("agus", "Drs. Agus Prasetyo, M.Si.", "197203031998031003", IV_C, "DISKOMINFO.KADIS",
       "kepala unit (Kadis Kominfo)", "DISKOMINFO"),
    _u("dewi", "Dewi Lestari", "199207072019032004", II_C, "DISKOMINFO.SEKRE.PENGADM",
       "TU / pencatat Diskominfo", "DISKOMINFO", (("pencatat", "DISKOMINFO"),)),
    _u("rina", "Rina Marlina, S.KM.", "199303032020122005", III_A, "DINKES.YANKES.ANALIS", "konseptor, Dinkes", "DINKES"),
    _u("hadi", "dr. Hadi Kusuma", "198008082006041006", IV_A, "DINKES.YANKES.KABID", "atasan (Kabid Yankes)", "DINKES"),
    _u("wati", "dr. Wati Handayani, M.Kes.", "197409092000032007", IV_C, "DINKES.KADIS",
       "kepala unit (Kadis Dinkes)", "DINKES"),
    _u("admin", "Admin Lontar", "199512122022031008", III_A, None, "admin Pemda dan perancang proses", "PEMKAB",
       (("admin", None), ("designer", None))),
    _u("auditor", "Inspektur Pembantu", "198111112008011009", IV_A, None, "auditor (Inspektorat)", "INSPEKTORAT",
       (("auditor", None),)),
    # Kepala Daerah and the Sekretariat Daerah
    _u("bambang", "Ir. H. Bambang Sutrisno, M.M.", None, None, "PEMKAB.BUPATI", "Bupati", "PEMKAB"),
    _u("lilis", "Hj. Lilis Suryani, S.E.", None, None, "PEMKAB.WABUP", "Wakil Bupati", "PEMKAB"),
    _u("hendra", "Dr. Ir. Hendra Gunawan, M.Si.", "196904121994031005", IV_D, _SEKDA, "Sekretaris Daerah", "SETDA"),
    _u("eko", "Drs. Eko Saputro, M.Si.", "197001151995031002", IV_C, "SETDA.PEMKESRA.ASISTEN", "Asisten I", "SETDA"),
    _u("siti", "Ir. Siti Rahmawati, M.T.", "197106201996032003", IV_C, "SETDA.EKBANG.ASISTEN", "Asisten II", "SETDA"),
    _u("dedi", "Dedi Kurniawan, S.Sos., M.M.", "197208171997031004", IV_C, "SETDA.ADUM.ASISTEN", "Asisten III", "SETDA"),
    _u("nuraini", "Nur Aini, S.Sos.", "197805252003122006", IV_A, "SETDA.ADUM.UMUM.KABAG", "Kabag Umum", "SETDA"),
    _u("rudi", "Rudi Hartono, A.Md.", "199102142019031007", III_A, "SETDA.ADUM.UMUM.ARSIPARIS",
       "TU / pencatat Setda", "SETDA", (("pencatat", "SETDA"),)),
    _u("admin.setda", "Galih Permana, S.Kom.", "199403092020121008", III_B, None, "admin Setda", "SETDA",
       (("admin", "SETDA"),)),
    # Inspektorat
    _u("yohanes", "Drs. Yohanes Siregar, M.Ak.", "197103301996031009", IV_C, "INSPEKTORAT.INSPEKTUR", "Inspektur",
       "INSPEKTORAT"),
    _u("ratna", "Ratna Sari Dewi, S.E., M.Ak.", "198012012005012010", IV_A, "INSPEKTORAT.IRBAN1.IRBAN", "Irban I",
       "INSPEKTORAT"),
    _u("fajar", "Fajar Nugroho", "199505052022031011", II_C, "INSPEKTORAT.SEKRE.PENGADM", "TU / pencatat Inspektorat",
       "INSPEKTORAT", (("pencatat", "INSPEKTORAT"),)),
    _u("admin.inspektorat", "Maya Anggraini, S.Kom.", "199607072022032012", III_A, None, "admin Inspektorat",
       "INSPEKTORAT", (("admin", "INSPEKTORAT"),)),
    # Diskominfo (besides budi, sari, agus, dewi)
    _u("yusuf", "Yusuf Maulana, S.Kom., M.M.", "197909092005011013", IV_A, "DISKOMINFO.SEKRE.SEKRETARIS",
       "Sekretaris Dinas (paraf varian Diskominfo)", "DISKOMINFO"),
    _u("andi", "Andi Pratama, S.I.Kom.", "198303032008011014", III_D, "DISKOMINFO.IKP.KABID", "Kabid IKP",
       "DISKOMINFO"),
    _u("putri", "Putri Ayuningtyas, S.I.Kom.", "199404042019032015", III_B, "DISKOMINFO.IKP.HUMAS",
       "Pranata Humas", "DISKOMINFO"),
    _u("admin.kominfo", "Rizky Ramadhan, S.Kom.", "199312122019031016", III_B, None, "admin Diskominfo",
       "DISKOMINFO", (("admin", "DISKOMINFO"),)),
    # Dinkes (besides rina, hadi, wati)
    _u("lestari", "drg. Lestari Ningsih, M.Kes.", "197801012003122017", IV_A, "DINKES.SEKRE.SEKRETARIS",
       "Sekretaris Dinas, juga Plt. Kabid P2P", "DINKES"),
    _u("bayu", "Bayu Aji Saputra", "199608082022031018", II_C, "DINKES.SEKRE.PENGADM", "TU / pencatat Dinkes", "DINKES",
       (("pencatat", "DINKES"),)),
    _u("fitri", "Fitri Handayani, S.KM., M.Epid.", "198911112014022019", III_C, "DINKES.P2P.EPIDEMIOLOG",
       "Epidemiolog (atasannya Plt. Kabid P2P)", "DINKES"),
    _u("admin.dinkes", "Agung Setiawan, S.Kom.", "199210102020121020", III_B, None, "admin Dinkes", "DINKES",
       (("admin", "DINKES"),)),
    # Bapperida
    _u("slamet", "Ir. Slamet Riyadi, M.T.", "197004041995031021", IV_C, "BAPPERIDA.KABAN", "Kepala Bapperida",
       "BAPPERIDA"),
    _u("wahyu", "Wahyu Hidayat, S.E., M.Si.", "197705052002121022", IV_A, "BAPPERIDA.SEKRE.SEKRETARIS",
       "Sekretaris Bapperida", "BAPPERIDA"),
    _u("indah", "Indah Permatasari, S.T., M.T.", "198206062006042023", III_D, "BAPPERIDA.PPM.KABID", "Kabid PPM",
       "BAPPERIDA"),
    _u("arif", "Arif Rahman, S.P.W.K.", "199107072015031024", III_C, "BAPPERIDA.PPM.PERENCANA", "Perencana",
       "BAPPERIDA"),
    _u("teguh", "Dr. Teguh Santoso, M.Si.", "198108082006041025", III_D, "BAPPERIDA.RIDA.KABID", "Kabid Riset",
       "BAPPERIDA"),
    _u("sinta", "Sinta Marlina", "199709092022032026", II_C, "BAPPERIDA.SEKRE.PENGADM", "TU / pencatat Bapperida",
       "BAPPERIDA", (("pencatat", "BAPPERIDA"),)),
    _u("admin.bapperida", "Hafiz Maulana, S.Kom.", "199502022020121027", III_A, None, "admin Bapperida", "BAPPERIDA",
       (("admin", "BAPPERIDA"),)),
    # BKPSDM
    _u("suharto", "Drs. Suharto, M.Si.", "196912121994031028", IV_C, "BKPSDM.KABAN", "Kepala BKPSDM", "BKPSDM"),
    _u("yanti", "Yanti Kusumawati, S.H., M.H.", "197703032003122029", IV_A, "BKPSDM.SEKRE.SEKRETARIS",
       "Sekretaris BKPSDM", "BKPSDM"),
    _u("bagus", "Bagus Wicaksono, S.Psi.", "198404042009011030", III_D, "BKPSDM.MUTASI.KABID", "Kabid Mutasi",
       "BKPSDM"),
    _u("dian", "Dian Puspitasari, S.AP.", "199205052017082031", III_B, "BKPSDM.MUTASI.ANALIS", "Analis SDM Aparatur",
       "BKPSDM"),
    _u("heru", "Heru Susanto, S.Pd., M.Pd.", "198006062005011032", III_D, "BKPSDM.BANGKOM.KABID", "Kabid Bangkom",
       "BKPSDM"),
    _u("tini", "Tini Suhartini", "199810102022032033", II_C, "BKPSDM.SEKRE.PENGADM", "TU / pencatat BKPSDM", "BKPSDM",
       (("pencatat", "BKPSDM"),)),
    _u("admin.bkpsdm", "Reza Firmansyah, S.Kom.", "199608082020121034", III_A, None, "admin BKPSDM", "BKPSDM",
       (("admin", "BKPSDM"),)),
    # Kecamatan Sukamaju and its desa (kepala desa and perangkat desa have no NIP)
    _u("rifai", "Ahmad Rifai, S.STP., M.Si.", "198301012002121035", IV_A, "KEC.SUKAMAJU.CAMAT", "Camat", "KEC.SUKAMAJU"),
    _u("wawan", "Wawan Setiawan, S.Sos.", "198502022010011036", III_D, "KEC.SUKAMAJU.SEKRE.SEKCAM", "Sekcam",
       "KEC.SUKAMAJU"),
    _u("ujang", "Ujang Supriatna", "199303032022031037", II_C, "KEC.SUKAMAJU.SEKRE.PENGADM",
       "TU / pencatat Kecamatan", "KEC.SUKAMAJU", (("pencatat", "KEC.SUKAMAJU"),)),
    _u("asep", "Asep Saepudin", None, None, "KEC.SUKAMAJU.MEKARSARI.KADES", "Kepala Desa Mekarsari", "KEC.SUKAMAJU"),
    _u("neneng", "Neneng Sumiati", None, None, "KEC.SUKAMAJU.MEKARSARI.SEKDES", "Sekdes Mekarsari", "KEC.SUKAMAJU"),
    _u("dadang", "Dadang Kurnia", None, None, "KEC.SUKAMAJU.SUKARAHAYU.KADES", "Kepala Desa Sukarahayu",
       "KEC.SUKAMAJU"),
    _u("euis", "Euis Komariah", None, None, "KEC.SUKAMAJU.SUKARAHAYU.SEKDES", "Sekdes Sukarahayu", "KEC.SUKAMAJU"),
    _u("admin.sukamaju", "Dani Ramdani, S.Kom.", "199704042022031038", III_A, None, "admin Kecamatan Sukamaju",
       "KEC.SUKAMAJU", (("admin", "KEC.SUKAMAJU"),)),
]

# The acting official: the Kabid P2P post is vacant; the Sekretaris Dinkes is Plt for 3 months.
PLT = ("lestari", "DINKES.P2P.KABID", "800.1.3.3/017/DINKES/2026")

# Role keys used by diagrams: (unit code or None for the Pemda-wide default, role, target, position code)
ROLE_MAPPINGS = [
    # The Diskominfo nota dinas variant has a "Sekretaris" lane: its Sekretaris Dinas parafs.
    ("DISKOMINFO", "sekretaris", "position", "DISKOMINFO.SEKRE.SEKRETARIS"),
    # Elsewhere a "sekretaris" lane goes to the head of the process's unit: an SKPD that adopts
    # a Sekretaris variant maps the role to its own Sekretaris; until then the task never waits
    # for nobody.
    (None, "sekretaris", "head", None),
]

SIGNING_RULES = [
    # unit, jenis, scope, signer position: signs a.n. the head of the SKPD
    ("DISKOMINFO", "*", "internal", "DISKOMINFO.SEKRE.SEKRETARIS"),
]

SKPD_ORDER = ["PEMKAB", "SETDA", "INSPEKTORAT", "DISKOMINFO", "DINKES", "BAPPERIDA", "BKPSDM", "KEC.SUKAMAJU"]
