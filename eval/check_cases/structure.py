"""The sample rules' required structure, written out as the parts of a realistic draft (eval data only).

Names are the requirement names the checker reads from the sample corpus; bodies are plausible draft text.
"""

from __future__ import annotations

COVER = (
    "PROPOSAL TAHAP PERUMUSAN KLASTER INOVASI MADU HUTAN PROVINSI CONTOH. Diusulkan oleh Badan Penelitian dan "
    "Pengembangan Daerah Provinsi Contoh bersama Universitas Negeri Contoh, CV Madu Lestari dan Kelompok Tani "
    "Hutan Sejahtera. Tahun anggaran 2019."
)

# (requirement name, heading, body)
PROPOSAL = [
    (
        "Lembar pengesahan",
        "LEMBAR PENGESAHAN",
        "Judul klaster: Klaster Inovasi Madu Hutan. Jenis PUD: madu hutan. Lokus: Kabupaten Contoh. Perangkat daerah "
        "pengusul: Balitbangda Provinsi Contoh. Ketua tim pelaksana: Dr. Siti Rahma, NIDN 0012037801. Mitra: CV Madu "
        "Lestari, KTH Sejahtera. Nilai bantuan yang diusulkan Rp100.000.000 dan dana pendamping Rp25.000.000. "
        "Ditandatangani ketua tim pelaksana, ketua LPPM dan kepala Balitbangda, diketahui Sekretaris Daerah.",
    ),
    (
        "Ringkasan",
        "RINGKASAN",
        "Proposal ini mengusulkan perumusan master plan klaster inovasi madu hutan di Kabupaten Contoh. Madu hutan "
        "menyerap tenaga kerja 1.200 orang pemburu madu dan memiliki pasar di kota besar. Konsorsium ABG+C terdiri "
        "atas Balitbangda, Universitas Negeri Contoh, CV Madu Lestari dan KTH Sejahtera. Kegiatan meliputi tiga "
        "FGD, survei lapangan dan analisis rantai nilai. Luaran utama adalah dokumen master plan lima tahun.",
    ),
    (
        "Pendahuluan",
        "BAB 1 PENDAHULUAN",
        "Latar belakang: madu hutan merupakan produk unggulan daerah yang tercantum dalam RPJMD Provinsi Contoh. "
        "Produksi madu belum diolah dan dijual mentah dengan harga rendah. PUD yang dipilih adalah madu hutan karena "
        "menyerap tenaga kerja, menjadi sektor basis, dan memiliki pasar. Tujuan kegiatan adalah menyusun master plan "
        "klaster inovasi madu hutan bersama aktor ABG+C serta memetakan masalah hulu dan hilir.",
    ),
    (
        "Profil PUD dan potensi pasar",
        "BAB 2 PROFIL PUD DAN POTENSI PASAR",
        "Produksi madu hutan Kabupaten Contoh mencapai 40 ton per tahun dari 1.200 pelaku pemburu madu. Harga di "
        "tingkat pemburu Rp80.000 per kilogram, sedangkan harga eceran di kota mencapai Rp200.000. Calon pembeli "
        "adalah CV Madu Lestari, dua distributor produk kesehatan dan toko oleh-oleh. Potensi pasar tumbuh 10 persen "
        "per tahun.",
    ),
    (
        "Konsorsium ABG+C",
        "BAB 3 KONSORSIUM ABG+C",
        "Anggota konsorsium: Balitbangda Provinsi Contoh sebagai pengusul dan koordinator, Universitas Negeri Contoh "
        "sebagai pelaksana teknis, CV Madu Lestari sebagai mitra dunia usaha yang menyerap produk, dan KTH Sejahtera "
        "sebagai unsur masyarakat. Peran setiap anggota dan tata kelola klaster diatur dalam naskah kesepakatan; "
        "forum klaster bertemu setiap bulan.",
    ),
    (
        "Rencana kegiatan dan metode",
        "BAB 4 RENCANA KEGIATAN DAN METODE",
        "Kegiatan dilaksanakan melalui tiga FGD yang melibatkan semua unsur, survei lapangan ke lima desa sentra, "
        "analisis data produksi dan rantai nilai, serta pendampingan penyusunan dokumen. Metode analisis meliputi "
        "analisis SWOT, pemetaan rantai pasok dan wawancara mendalam dengan pelaku usaha madu.",
    ),
    (
        "Luaran dan indikator keberhasilan",
        "BAB 5 LUARAN DAN INDIKATOR KEBERHASILAN",
        "Luaran kegiatan adalah dokumen master plan klaster inovasi madu hutan, naskah kesepakatan kolaborasi ABG+C "
        "yang ditandatangani, dan notulen FGD. Indikator keberhasilan: master plan disahkan, paling sedikit empat "
        "unsur menandatangani kesepakatan, dan rencana aksi tiga tahun disepakati bersama.",
    ),
    (
        "Jadwal kegiatan",
        "BAB 6 JADWAL KEGIATAN",
        "Jadwal kegiatan berlangsung enam bulan: bulan pertama persiapan dan FGD pertama; bulan kedua dan ketiga "
        "survei lapangan; bulan keempat analisis data dan FGD kedua; bulan kelima penyusunan draf master plan; "
        "bulan keenam FGD ketiga, finalisasi dan penyerahan laporan akhir.",
    ),
    (
        "Rencana anggaran biaya",
        "BAB 7 RENCANA ANGGARAN BIAYA DAN DANA PENDAMPING",
        "Rencana anggaran biaya disusun per komponen sesuai Standar Biaya Masukan. Dana pendamping daerah sebesar "
        "Rp25.000.000 bersumber dari APBD Provinsi Contoh tahun 2019.",
    ),
    (
        "Daftar pustaka",
        "DAFTAR PUSTAKA",
        "Badan Pusat Statistik Provinsi Contoh. 2018. Provinsi Contoh Dalam Angka 2018. Dinas Kehutanan Provinsi "
        "Contoh. 2018. Statistik Hasil Hutan Bukan Kayu. Porter, M. 1998. Clusters and the New Economics of "
        "Competition. Harvard Business Review.",
    ),
]

BUDGET = [
    ("Honorarium tim pelaksana dan narasumber", 27_000_000),
    ("Perjalanan dinas dan survei lapangan", 30_000_000),
    ("Rapat, FGD, dan lokakarya", 23_000_000),
    ("Bahan habis pakai dan alat tulis kantor", 8_000_000),
    ("Analisis laboratorium dan jasa pihak ketiga", 6_000_000),
    ("Penyusunan, penggandaan, dan publikasi dokumen", 6_000_000),
]

ATTACHMENTS = [
    (
        "Surat pengantar Sekretaris Daerah Provinsi atas nama Gubernur",
        "LAMPIRAN 1 SURAT PENGANTAR SEKRETARIS DAERAH PROVINSI",
        "Dengan hormat, atas nama Gubernur Provinsi Contoh, bersama ini kami sampaikan proposal perumusan klaster "
        "inovasi madu hutan yang diajukan Balitbangda Provinsi Contoh. Demikian surat pengantar ini kami sampaikan. "
        "Sekretaris Daerah Provinsi Contoh, ditandatangani dan dicap.",
    ),
    (
        "Surat komitmen Gubernur",
        "LAMPIRAN 2 SURAT KOMITMEN GUBERNUR",
        "Gubernur Provinsi Contoh menyatakan bahwa madu hutan tercantum dalam RPJMD, menunjuk Balitbangda sebagai "
        "koordinator konsorsium, sanggup menyediakan dana pendamping Rp25.000.000, dan melanjutkan pembinaan klaster "
        "paling singkat tiga tahun setelah bantuan berakhir.",
    ),
    (
        "Surat komitmen bupati atau wali kota lokus",
        "LAMPIRAN 3 SURAT KOMITMEN BUPATI LOKUS",
        "Bupati Contoh menyatakan kesediaan menyediakan rumah produksi, dukungan listrik, air dan akses jalan, serta "
        "membina kelompok masyarakat pemburu madu di kabupaten lokus klaster inovasi madu hutan.",
    ),
    (
        "Surat pernyataan rektor perguruan tinggi pelaksana",
        "LAMPIRAN 4 SURAT PERNYATAAN REKTOR",
        "Rektor Universitas Negeri Contoh menyatakan kesediaan menjadi pelaksana teknis dan penerima dana bantuan, "
        "menugaskan ketua dan anggota tim, memberi izin penggunaan laboratorium, dan mengelola dana sesuai PKS.",
    ),
    (
        "Surat pernyataan mitra industri bermeterai",
        "LAMPIRAN 5 SURAT PERNYATAAN MITRA INDUSTRI",
        "Direktur CV Madu Lestari menyatakan di atas meterai kesediaan menyerap dan memasarkan produk madu klaster "
        "sebanyak 10 ton per tahun, memberi kontribusi natura berupa kemasan, dan tidak menjadi penyedia peralatan.",
    ),
    (
        "Naskah kesepakatan kolaborasi ABG+C",
        "LAMPIRAN 6 NASKAH KESEPAKATAN KOLABORASI ABG+C",
        "Para pihak akademisi, bisnis, pemerintah dan komunitas bersepakat mengembangkan klaster madu hutan, dengan "
        "peran, kontribusi, tata kelola, pembagian manfaat dan jangka waktu kerja sama tiga tahun.",
    ),
    (
        "Bukti dana pendamping daerah",
        "LAMPIRAN 7 BUKTI DANA PENDAMPING DAERAH",
        "Kutipan DPA Balitbangda Provinsi Contoh tahun 2019 memuat kegiatan pendampingan klaster inovasi madu hutan "
        "dengan pagu Rp25.000.000 sebagai dana pendamping daerah.",
    ),
    (
        "Biodata ketua dan anggota tim pelaksana",
        "LAMPIRAN 8 BIODATA KETUA DAN ANGGOTA TIM PELAKSANA",
        "Ketua: Dr. Siti Rahma, dosen Fakultas Kehutanan, S3 ilmu hasil hutan, Lektor Kepala. Anggota: Ir. Budi "
        "Santoso M.Si, dosen; Rina Wati S.E., M.M., dosen; Andi, wakil Balitbangda; Yusuf, wakil CV Madu Lestari.",
    ),
    (
        "RAB rinci per komponen biaya",
        "LAMPIRAN 9 RAB RINCI PER KOMPONEN BIAYA",
        "Rincian volume, satuan dan harga satuan setiap komponen biaya: honorarium, perjalanan dinas, rapat dan FGD, "
        "bahan habis pakai, analisis laboratorium, serta penyusunan dokumen, sesuai Standar Biaya Masukan 2019.",
    ),
    (
        "Dokumen perencanaan daerah yang memuat PUD",
        "LAMPIRAN 10 DOKUMEN PERENCANAAN DAERAH YANG MEMUAT PUD",
        "Kutipan RPJMD Provinsi Contoh 2019-2023 yang menetapkan madu hutan sebagai produk unggulan daerah, dan "
        "keputusan gubernur tentang penetapan produk unggulan daerah.",
    ),
    (
        "master plan klaster",
        "LAMPIRAN 11 MASTER PLAN KLASTER DAN PENAWARAN HARGA PERALATAN",
        "Master plan klaster inovasi madu hutan yang telah disahkan, spesifikasi teknis peralatan pengolahan madu dan "
        "dua penawaran harga pembanding, serta bukti kesiapan lahan rumah produksi.",
    ),
]

MASTER_PLAN = [
    (
        "Pendahuluan",
        "BAB I PENDAHULUAN",
        "Latar belakang kondisi ekonomi daerah dan alasan memilih pendekatan klaster. Tujuan dan sasaran master plan. "
        "Ruang lingkup wilayah meliputi dua kabupaten lokus dan sepuluh desa. Keterkaitan dengan RPJMD, RPIK dan "
        "penguatan SIDa. Metode penyusunan melalui FGD, survei lapangan dan wawancara pelaku.",
    ),
    (
        "Profil dan Potensi PUD",
        "BAB II PROFIL DAN POTENSI PUD",
        "Kakao dipilih sebagai PUD karena menyerap tenaga kerja dan menjadi sektor basis. Produksi 12.000 ton dari "
        "20.000 hektare lahan dengan 15.000 petani; tren lima tahun menurun. Karakteristik produk, mutu biji, dan "
        "posisi kakao di pasar domestik dan ekspor.",
    ),
    (
        "Analisis Hulu",
        "BAB III ANALISIS HULU",
        "Sumber daya lahan dan kesesuaiannya, pembibitan dan ketersediaan bibit unggul, pemeliharaan tanaman dan "
        "penanganan hama penyakit, usaha tani dengan produktivitas dan pendapatan petani, serta kelembagaan kelompok "
        "tani. Masalah utama: produktivitas menurun dan mutu panen rendah.",
    ),
    (
        "Analisis Hilir dan Pascapanen",
        "BAB IV ANALISIS HILIR DAN PASCAPANEN",
        "Penanganan pascapanen dan fermentasi biji, teknologi pengolahan yang dipakai, peluang produk turunan seperti "
        "bubuk dan lemak kakao, standar mutu dan sertifikasi, pemasaran dan pembentukan harga, serta kemitraan "
        "industri dan petani.",
    ),
    (
        "Analisis Pasar, Rantai Nilai, dan Rantai Pasok",
        "BAB V ANALISIS PASAR, RANTAI NILAI, DAN RANTAI PASOK",
        "Ukuran dan pertumbuhan pasar sasaran domestik dan ekspor, peta rantai nilai dari petani sampai konsumen, "
        "sebaran nilai tambah, peta rantai pasok hulu hilir dan titik rawannya, analisis pesaing, serta surat minat "
        "pembeli sebagai bukti pasar.",
    ),
    (
        "Peta Aktor dan Kelembagaan Klaster",
        "BAB VI PETA AKTOR DAN KELEMBAGAAN KLASTER",
        "Peta aktor ABG+C dan perannya, tata kelola klaster dan forum rembug klaster yang mempertemukan petani, "
        "industri dan perguruan tinggi, rancangan unit bisnis pola konsorsium berbentuk koperasi, serta naskah "
        "kesepakatan kolaborasi.",
    ),
    (
        "Desain Industri dan Teknologi",
        "BAB VII DESAIN INDUSTRI DAN TEKNOLOGI",
        "Desain industri: lokasi, tata letak unit produksi, kapasitas terpasang 2 ton per hari, kebutuhan listrik, "
        "air dan bangunan. Pilihan teknologi dan peralatan produksi beserta spesifikasi teknis dan harga, kebutuhan "
        "bahan baku, tenaga kerja dan pelatihan operator.",
    ),
    (
        "Rencana Bisnis, Model Bisnis, dan Kelayakan Usaha",
        "BAB VIII RENCANA BISNIS, MODEL BISNIS, DAN KELAYAKAN USAHA",
        "Rencana bisnis dengan proyeksi penjualan lima tahun, model bisnis unit usaha konsorsium, analisis kelayakan "
        "usaha: kebutuhan investasi, arus kas, BEP, payback period, NPV, IRR dan analisis sensitivitas, serta risiko "
        "usaha dan mitigasinya.",
    ),
    (
        "Rencana Kerja Implementasi (Workplan)",
        "BAB IX RENCANA KERJA IMPLEMENTASI (WORKPLAN)",
        "Rencana kerja per kegiatan dengan jadwal, penanggung jawab dan indikator: setup teknologi peralatan, "
        "komisioning dan uji coba produksi, pengoperasian dan SOP, proses produksi dan pengendalian mutu, serta tata "
        "kelola unit bisnis pola konsorsium.",
    ),
    (
        "Integrasi Program dan Skema Pembiayaan",
        "BAB X INTEGRASI PROGRAM DAN SKEMA PEMBIAYAAN",
        "Program pemerintah pusat, provinsi dan kabupaten yang mendukung klaster, sumber pembiayaan APBN, APBD, dunia "
        "usaha, CSR dan perbankan, peta jalan lima tahun, rencana aksi tiga tahun pertama dan kontribusi setiap unsur.",
    ),
    (
        "Indikator Kinerja, Monitoring, dan Keberlanjutan",
        "BAB XI INDIKATOR KINERJA, MONITORING, DAN KEBERLANJUTAN",
        "Indikator kinerja volume produksi, nilai tambah, tenaga kerja dan pendapatan pelaku. Mekanisme monitoring dan "
        "evaluasi termasuk pengisian data klaster di RCIMS. Strategi keberlanjutan setelah bantuan berakhir dan risiko "
        "utama klaster.",
    ),
]
