"""Word lists for the demo: Sundanese names, group names, businesses and field-report texts.

Written by hand for rural Lebak (no Faker: its Indonesian names are Javanese-urban and change
between Faker versions, which would break determinism under --seed).
"""

NAMA_LAKI = (
    "Asep", "Ujang", "Dede", "Cecep", "Yayan", "Aceng", "Dadang", "Jajang", "Entis", "Endang",
    "Ade", "Deden", "Engkus", "Iwan", "Mamat", "Odih", "Oman", "Rohman", "Saepudin", "Sukri",
    "Tatang", "Usep", "Wawan", "Yana", "Agus", "Nana", "Didi", "Dudung", "Kurnia", "Hendra",
    "Ridwan", "Apud", "Sarip", "Jaja", "Uus", "Karta", "Nurdin", "Emed", "Dayat", "Ujang",
    "Encep", "Ohim", "Amir", "Juhana", "Atang", "Jamhari", "Pepen", "Udin", "Sanusi", "Jaenudin",
    "Oding", "Ajat", "Ucup", "Maman", "Eman", "Ukat", "Dodo", "Acep", "Aep", "Jenal",
)  # fmt: skip

NAMA_PEREMPUAN = (
    "Iis", "Euis", "Entin", "Neneng", "Enok", "Imas", "Eneng", "Popon", "Cucu", "Elis",
    "Yeni", "Titin", "Iim", "Lilis", "Nining", "Nenden", "Eti", "Eem", "Cicih", "Aas",
    "Ai", "Enah", "Onah", "Icih", "Kokom", "Nani", "Rini", "Siti", "Yoyoh", "Tati",
    "Dewi", "Ela", "Enung", "Omah", "Iyah", "Nia", "Wiwin", "Ika", "Dede", "Yati",
    "Oneng", "Upi", "Ocoh", "Emah", "Atikah", "Nyai", "Ani", "Imut", "Esih", "Teti",
)  # fmt: skip

# second names: often a father's or a grandfather's name, which reads "family-ish"
NAMA_BELAKANG_LAKI = (
    "Suryana", "Sunarya", "Supriatna", "Hidayat", "Rahmat", "Sopandi", "Kurniawan", "Permana",
    "Saputra", "Mulyana", "Setiawan", "Nurjaman", "Suhendar", "Sudrajat", "Somantri", "Kusnadi",
    "Wahyudin", "Rusmana", "Hermawan", "Ruhiyat", "Sumarna", "Jayadi", "Karnadi", "Saepulloh",
    "Sobari", "Sukmana", "Gunawan", "Sunandar", "Hamdani", "Juhaeri", "Mulyadi", "Rukmana",
)  # fmt: skip

NAMA_BELAKANG_PEREMPUAN = (
    "Rohaeti", "Kurniasih", "Nurhayati", "Suryani", "Sumiati", "Rosita", "Komalasari", "Marlina",
    "Rahmawati", "Nuraeni", "Yulianti", "Susilawati", "Fitriani", "Jubaedah", "Aisyah", "Maryam",
    "Halimah", "Komariah", "Rukmini", "Sopiah", "Juariah", "Ratnasari", "Hasanah", "Nurjanah",
    "Sartika", "Rostiana", "Mulyani", "Solihat", "Wulansari", "Kartini",
)  # fmt: skip

KAMPUNG = (
    "Cibeureum", "Cisalak", "Babakan", "Cijengkol", "Pasir Eurih", "Cibungur", "Sukamaju",
    "Cikaret", "Cipicung", "Ciseel", "Gunung Kencana", "Pasir Kupa", "Cibarani", "Leuwi Ipuh",
    "Cisungsang", "Cimenteng", "Kadu Kacang", "Pasir Nangka", "Cilaban", "Sindang Sari",
    "Muara", "Cikupa", "Tegal Lega", "Cihideung", "Nangerang", "Kebon Cau",
)  # fmt: skip

OPERATOR = ("812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896")

NAMA_KELOMPOK = {
    "pertanian": ("Kelompok Tani", "KT"),
    "peternakan": ("Kelompok Ternak", "KTr"),
    "umkm": ("Kelompok Usaha Bersama", "KUB"),
}

KATA_KELOMPOK = (
    "Mekar Sari", "Rahayu", "Sauyunan", "Sabilulungan", "Silih Asih", "Harapan Jaya",
    "Sugih Mukti", "Berkah", "Barokah", "Saluyu", "Hegar", "Sinar Harapan", "Tunas Harapan",
    "Karya Mandiri", "Mukti Jaya", "Sri Asih", "Tani Makmur", "Maju Bersama", "Sekar Wangi",
    "Bina Usaha", "Cahaya Desa", "Giri Mulya", "Sinar Tani", "Wargi Mandiri", "Mitra Sejahtera",
    "Lembur Kuring", "Repeh Rapih", "Someah", "Subur Makmur", "Walagri", "Mandiri Jaya",
    "Nugraha", "Sawargi", "Panca Tunggal", "Pusaka Jaya", "Motekar", "Rancage", "Sugema",
)  # fmt: skip

USAHA_KELOMPOK = {
    "pertanian": (
        "Budidaya padi sawah dan penggilingan kelompok",
        "Kebun sayuran dan pembibitan",
        "Budidaya padi huma dan palawija",
        "Kebun pisang dan pengolahan sale",
        "Pengolahan gula aren",
        "Pembibitan dan kebun kopi",
    ),
    "peternakan": (
        "Kandang kelompok penggemukan domba",
        "Pembibitan kambing",
        "Ternak ayam kampung",
        "Penggemukan domba garut",
        "Ternak itik petelur",
    ),
    "umkm": (
        "Produksi keripik dan opak singkong",
        "Warung kelompok dan simpan pinjam",
        "Kerajinan anyaman bambu",
        "Tenun dan suvenir",
        "Produksi emping melinjo",
        "Kue basah dan makanan ringan",
    ),
}

JENIS_USAHA = {
    "pertanian": (
        "Padi sawah",
        "Padi huma",
        "Sayuran",
        "Kebun pisang",
        "Kopi",
        "Cengkeh",
        "Gula aren",
        "Palawija",
        "Kebun kelapa",
        "Jahe merah",
    ),
    "peternakan": (
        "Penggemukan domba",
        "Ternak kambing",
        "Ayam kampung",
        "Itik petelur",
        "Kerbau",
        "Pembibitan domba",
    ),
    "umkm": (
        "Warung sembako",
        "Keripik singkong",
        "Opak ketan",
        "Anyaman bambu",
        "Tenun",
        "Jahit",
        "Gorengan",
        "Kue basah",
        "Emping melinjo",
        "Bengkel motor",
        "Konter pulsa",
        "Dodol",
        "Madu hutan",
        "Ikan asin",
        "Warung nasi",
    ),
}

TUJUAN_PINJAMAN = {
    "pertanian": (
        "Modal tanam padi: benih dan pupuk",
        "Pembelian bibit dan pupuk organik",
        "Sewa lahan dan biaya tanam",
        "Modal panen dan pengeringan gabah",
        "Perluasan kebun dan peralatan",
    ),
    "peternakan": (
        "Pembelian bakalan domba",
        "Pakan konsentrat dan obat ternak",
        "Perbaikan kandang",
        "Pembelian indukan kambing",
    ),
    "umkm": (
        "Tambahan modal warung",
        "Bahan baku produksi",
        "Peralatan produksi",
        "Modal belanja dagangan",
        "Kemasan dan pemasaran produk",
    ),
}

RINGKASAN = {
    "pendampingan": (
        "Pendampingan usaha anggota {kelompok}: pencatatan kas harian dan pemisahan uang usaha.",
        "Kunjungan ke lahan/tempat usaha anggota; diskusi rencana usaha tiga bulan ke depan.",
        "Pendampingan penyusunan rencana usaha dan kebutuhan modal anggota.",
        "Membahas pemasaran bersama hasil usaha {usaha} ke pasar kecamatan.",
        "Pendampingan pembukuan kelompok dan kas simpanan wajib.",
    ),
    "pelatihan": (
        "Pelatihan teknis {usaha} bersama penyuluh.",
        "Pelatihan pembukuan sederhana dan menghitung laba usaha.",
        "Pelatihan kemasan dan label produk.",
        "Pelatihan pengelolaan keuangan rumah tangga.",
        "Pelatihan kepemimpinan dan administrasi kelompok.",
    ),
    "pertemuan_kelompok": (
        "Pertemuan rutin {kelompok}: laporan kas, simpanan wajib, dan rencana kegiatan.",
        "Pertemuan kelompok; pengajian singkat dan evaluasi usaha anggota.",
        "Rapat anggota membahas iuran dan pemanfaatan dana kelompok.",
        "Pertemuan rutin; anggota berbagi pengalaman usaha {usaha}.",
    ),
    "monitoring_usaha": (
        "Monitoring usaha dan pendapatan anggota per bulan.",
        "Monitoring perkembangan usaha {usaha} dan pencatatan pendapatan anggota.",
        "Pendataan omzet dan pendapatan bulanan anggota.",
    ),
    "penagihan": (
        "Penagihan angsuran modal bergulir di pertemuan kelompok.",
        "Pengumpulan angsuran dan pengecekan buku angsuran anggota.",
        "Penagihan angsuran; mengingatkan jadwal jatuh tempo bulan depan.",
    ),
}

KENDALA = (
    "Harga pupuk naik dan sulit didapat.",
    "Hujan deras, sebagian lahan terendam.",
    "Beberapa anggota belum hadir karena panen.",
    "Harga jual hasil panen turun di tingkat tengkulak.",
    "Jalan ke kampung rusak, pengangkutan hasil terhambat.",
    "Ternak terserang penyakit mata dan kembung.",
    "Pakan hijauan berkurang di musim kemarau.",
    "Pembukuan anggota belum rutin diisi.",
    "Sebagian anggota terlambat membayar angsuran.",
    "Persaingan warung di kampung bertambah.",
    "Bahan baku singkong langka dan harganya naik.",
    "Sinyal telepon lemah, koordinasi sulit.",
)

TINDAK_LANJUT = (
    "Fasilitator menghubungi penyuluh pertanian kecamatan.",
    "Kunjungan rumah ke anggota yang menunggak minggu depan.",
    "Ketua kelompok mengumpulkan data kebutuhan pupuk.",
    "Vaksinasi ternak bersama petugas keswan.",
    "Mendampingi pengisian buku kas di pertemuan berikutnya.",
    "Menjajaki pembeli baru di pasar Rangkasbitung.",
    "Menyusun jadwal piket kandang kelompok.",
    "Mengajukan tambahan modal ke dana bergulir.",
    "Membuat kesepakatan ulang jadwal angsuran dengan anggota.",
    "Mengurus izin PIRT untuk produk olahan.",
)

ALASAN_TOLAK = (
    "Usaha belum berjalan; diminta melengkapi rencana usaha.",
    "Masih memiliki tunggakan di pinjaman sebelumnya.",
    "Jumlah pengajuan melebihi kemampuan bayar menurut analisis usaha.",
)

ALASAN_HAPUS_BUKU = (
    "Mitra merantau dan usaha berhenti; tunggakan lebih dari satu tahun tidak tertagih."
)
ALASAN_KOREKSI = "Tercatat dua kali saat penagihan; entri ganda dibatalkan."
