"""Writes with business rules on the programme's other half: outside parties, activities,
market links, survey rounds and answers.

Each is keyword-only, transactional, checks the role in the record's klaster through
klaster/akses.py (PermissionDenied), runs the rules of program/aturan.py (ValidationError
keyed by form field, nothing saved) and bumps the klaster's version of the figures first
(klaster/versi.py), since the impact report reads all of these.

Activities and survey answers carry a uuid made on the client: the same form sent twice
(a retry, the offline queue flushed twice, two tabs) records once; the second send gets
the first record back.
"""

import datetime
import uuid as uuid_lib
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster import akses, versi
from klaster.aturan import wajib_lolos
from klaster.format import format_tanggal
from kunjungan.services import foto_proses
from program import aturan, penilaian
from program.instrumen import (
    JEJARING,
    KAPASITAS,
    KUESIONER,
    KUESIONER_TERBARU,
    RELASI,
    TOTAL,
    indeks_modal_sosial,
    skor_spiritual,
)
from program.models import (
    SKOR_PENILAIAN,
    JawabanSurvei,
    KegiatanProgram,
    PenilaianKelompok,
    PihakLuar,
    PutaranSurvei,
    TautanPasar,
)


def _hari_ini() -> datetime.date:
    return timezone.localdate()


def _petugas(oleh, klaster, pesan: str) -> None:
    if akses.peran_di(oleh, klaster) is None:
        raise PermissionDenied(pesan)


@transaction.atomic
def pihak_luar_buat(
    *,
    oleh,
    klaster,
    nama: str,
    jenis: str,
    kontak: str = "",
    desa=None,
    kabupaten=None,
    catatan: str = "",
) -> PihakLuar:
    _petugas(oleh, klaster, _("Hanya petugas klaster ini yang mendaftarkan pihak luar."))
    nama, kontak = aturan.bersihkan_teks(nama), aturan.bersihkan_teks(kontak)
    catatan = aturan.bersihkan_catatan(catatan)
    galat = aturan.periksa_pihak_luar(klaster=klaster, nama=nama, kontak=kontak, catatan=catatan)
    if jenis not in PihakLuar.Jenis.values:
        galat.setdefault("jenis", []).append(_("Pilih jenis pihak luar dari daftar."))
    if not galat and PihakLuar.objects.filter(klaster=klaster, nama__iexact=nama).exists():
        galat["nama"] = [
            _("%(nama)s sudah terdaftar di klaster ini; pilih yang ada.") % {"nama": nama}
        ]
    wajib_lolos(galat)
    versi.naikkan([klaster.pk])
    pihak = PihakLuar(
        klaster=klaster,
        nama=nama,
        jenis=jenis,
        kontak=kontak,
        desa=desa,
        kabupaten=kabupaten,
        catatan=catatan,
    )
    pihak.versi_dinaikkan = True  # the version was bumped above (program/sinyal.py)
    pihak.save()
    return pihak


def kegiatan_catat(
    *,
    oleh,
    klaster,
    uuid,
    jenis: str,
    judul: str,
    tanggal: datetime.date,
    jam: Decimal,
    fasilitator=None,
    kelompok=None,
    desa=None,
    narasumber: str = "",
    biaya: Decimal | None = None,
    sumber_dana=None,
    peserta: Iterable = (),
    pihak_luar: Iterable = (),
    catatan: str = "",
    foto=None,
) -> KegiatanProgram:
    """Record a programme activity with its attendance and the outside parties present.

    `peserta` are Mitra and `pihak_luar` PihakLuar, already loaded (the form's choices).
    Idempotent by `uuid`: an activity already recorded with it comes back unchanged. The
    uuid is not looked up first: the activity's row is the first write, so a resend stops
    at the unique uuid and finds the activity then."""
    _petugas(oleh, klaster, _("Hanya petugas klaster ini yang mencatat kegiatan program."))
    uuid = uuid_lib.UUID(str(uuid))
    peserta = list({m.pk: m for m in peserta}.values())
    pihak_luar = list({p.pk: p for p in pihak_luar}.values())
    judul, narasumber = aturan.bersihkan_teks(judul), aturan.bersihkan_teks(narasumber)
    catatan = aturan.bersihkan_catatan(catatan)
    biaya = biaya if biaya is not None else Decimal(0)
    # the klaster's kecamatan, read only when a desa must be placed in one
    kecamatan_ids = set(klaster.kecamatan.values_list("kode", flat=True)) if desa else set()
    galat = aturan.periksa_kegiatan(
        klaster=klaster,
        kecamatan_ids=kecamatan_ids,
        hari_ini=_hari_ini(),
        judul=judul,
        tanggal=tanggal,
        jam=jam,
        biaya=biaya,
        sumber_dana=sumber_dana,
        kelompok=kelompok,
        desa=desa,
        peserta=peserta,
        pihak_luar=pihak_luar,
        narasumber=narasumber,
        catatan=catatan,
    )
    if jenis not in KegiatanProgram.Jenis.values:
        galat.setdefault("jenis", []).append(_("Pilih jenis kegiatan dari daftar."))
    fasilitator = fasilitator or oleh
    if fasilitator != oleh and akses.peran_di(fasilitator, klaster) is None:
        galat.setdefault("fasilitator", []).append(
            _("%(nama)s tidak bertugas di klaster ini.") % {"nama": fasilitator}
        )
    try:
        wajib_lolos(galat)
    except ValidationError:
        # a resend of an activity recorded before that the rules now refuse
        ada = KegiatanProgram.objects.filter(uuid=uuid).first()
        if ada is not None:
            return _sama(ada, oleh, klaster)
        raise
    foto_berkas = foto_proses(foto) if foto else None
    kegiatan = KegiatanProgram(
        uuid=uuid,
        klaster=klaster,
        kelompok=kelompok,
        jenis=jenis,
        judul=judul,
        tanggal=tanggal,
        desa=desa,
        fasilitator=fasilitator,
        narasumber=narasumber,
        jam=jam,
        biaya=biaya,
        sumber_dana=sumber_dana,
        catatan=catatan,
        jumlah_peserta=len(peserta),
        dicatat_oleh=oleh,
    )
    try:
        with transaction.atomic():
            versi.naikkan([klaster.pk])
            if foto_berkas is not None:
                kegiatan.foto.save(foto_berkas.name, foto_berkas, save=False)
            _simpan_kegiatan(kegiatan, peserta, pihak_luar, oleh=oleh)
            return kegiatan
    except IntegrityError:
        if kegiatan.foto:
            kegiatan.foto.storage.delete(kegiatan.foto.name)
        # the same form sent again (or twice at once: the other request saved it first)
        ada = KegiatanProgram.objects.filter(uuid=uuid).first()
        if ada is None:
            raise
        return _sama(ada, oleh, klaster)


def _simpan_kegiatan(kegiatan, peserta, pihak_luar, *, oleh) -> None:
    """The activity, its attendance, its parties and their history in six inserts (saved
    as usual, simple-history would read the attendance back and write a second history
    row on peserta.add, as kunjungan.services explains for visits)."""
    kegiatan.versi_dinaikkan = True  # bumped first by the caller (program/sinyal.py)
    kegiatan.skip_history_when_saving = True
    try:
        kegiatan.save()
    finally:
        del kegiatan.skip_history_when_saving
    Hadir = KegiatanProgram.peserta.through
    hadir = Hadir.objects.bulk_create(
        [Hadir(kegiatanprogram=kegiatan, mitra_id=m.pk) for m in peserta]
    )
    Pihak = KegiatanProgram.pihak_luar.through
    if pihak_luar:
        Pihak.objects.bulk_create(
            [Pihak(kegiatanprogram=kegiatan, pihakluar_id=p.pk) for p in pihak_luar]
        )
    (riwayat,) = KegiatanProgram.history.bulk_history_create([kegiatan], default_user=oleh)
    if hadir:
        RiwayatHadir = apps.get_model("program", "HistoricalKegiatanProgram_peserta")
        RiwayatHadir.objects.bulk_create(
            [
                RiwayatHadir(
                    history=riwayat, id=h.pk, kegiatanprogram_id=kegiatan.pk, mitra_id=h.mitra_id
                )
                for h in hadir
            ]
        )


def _sama(ada, oleh, klaster):
    if ada.klaster_id != klaster.pk or ada.dicatat_oleh_id != oleh.pk:
        raise ValidationError(
            _("Formulir ini sudah dipakai orang lain; muat ulang halaman lalu isi lagi.")
        )
    return ada


@transaction.atomic
def tautan_pasar_buat(
    *,
    oleh,
    klaster,
    pihak_luar,
    jenis: str,
    tanggal_mulai: datetime.date,
    mitra=None,
    kelompok=None,
    komoditas: str = "",
    tanggal_selesai: datetime.date | None = None,
    nilai_per_bulan: Decimal | None = None,
    catatan: str = "",
) -> TautanPasar:
    _petugas(oleh, klaster, _("Hanya petugas klaster ini yang mencatat tautan pasar."))
    komoditas = aturan.bersihkan_teks(komoditas)
    catatan = aturan.bersihkan_catatan(catatan)
    galat = aturan.periksa_tautan(
        klaster=klaster,
        hari_ini=_hari_ini(),
        mitra=mitra,
        kelompok=kelompok,
        pihak_luar=pihak_luar,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        nilai_per_bulan=nilai_per_bulan,
        komoditas=komoditas,
        catatan=catatan,
    )
    if jenis not in TautanPasar.Jenis.values:
        galat.setdefault("jenis", []).append(_("Pilih jenis tautan dari daftar."))
    wajib_lolos(galat)
    versi.naikkan([klaster.pk])
    tautan = TautanPasar(
        klaster=klaster,
        mitra=mitra,
        kelompok=kelompok,
        pihak_luar=pihak_luar,
        jenis=jenis,
        komoditas=komoditas,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        nilai_per_bulan=nilai_per_bulan,
        catatan=catatan,
        dicatat_oleh=oleh,
    )
    tautan.versi_dinaikkan = True
    tautan.save()
    return tautan


@transaction.atomic
def putaran_buat(
    *,
    oleh,
    klaster,
    nama: str,
    jenis: str,
    tanggal_mulai: datetime.date,
    tanggal_selesai: datetime.date | None = None,
    kuesioner: str = KUESIONER_TERBARU,
) -> PutaranSurvei:
    """Open a survey round: managers of the klaster only."""
    akses.require_manajer_di(oleh, klaster)
    nama = aturan.bersihkan_teks(nama)
    galat = aturan.periksa_putaran(
        klaster=klaster,
        hari_ini=_hari_ini(),
        nama=nama,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        kuesioner=kuesioner,
    )
    if jenis not in PutaranSurvei.Jenis.values:
        galat.setdefault("jenis", []).append(_("Pilih jenis putaran dari daftar."))
    if not galat and PutaranSurvei.objects.filter(klaster=klaster, nama__iexact=nama).exists():
        galat["nama"] = [_("Putaran bernama %(nama)s sudah ada di klaster ini.") % {"nama": nama}]
    wajib_lolos(galat)
    versi.naikkan([klaster.pk])
    putaran = PutaranSurvei(
        klaster=klaster,
        nama=nama,
        jenis=jenis,
        kuesioner=kuesioner,
        tanggal_mulai=tanggal_mulai,
        tanggal_selesai=tanggal_selesai,
        dibuat_oleh=oleh,
    )
    putaran.versi_dinaikkan = True
    putaran.save()
    return putaran


def jawaban_survei_catat(
    *,
    oleh,
    putaran,
    mitra,
    uuid,
    tanggal: datetime.date,
    modal_sosial: Mapping[str, int],
    spiritual: Mapping[str, int],
    jumlah_anggota_keluarga: int,
    pendapatan_rumah_tangga: Decimal,
) -> JawabanSurvei:
    """Record one household's answers in a round (the phone's survey screen, its offline
    queue, the import). The indices are computed here from the round's questionnaire.

    Idempotent by `uuid`. A second interview of the same mitra in the same round (another
    uuid) is refused with the first one's date: a correction goes through the admin, where
    the history keeps both."""
    _petugas(oleh, putaran.klaster, _("Hanya petugas klaster ini yang mencatat survei."))
    uuid = uuid_lib.UUID(str(uuid))
    ada = JawabanSurvei.objects.filter(uuid=uuid).first()
    if ada is not None:
        return _jawaban_sama(ada, putaran, mitra)
    kuesioner = KUESIONER[putaran.kuesioner]
    modal_sosial = {str(k): v for k, v in modal_sosial.items()}
    spiritual = dict(spiritual)
    galat = aturan.periksa_jawaban(
        putaran=putaran,
        kuesioner=kuesioner,
        hari_ini=_hari_ini(),
        mitra=mitra,
        tanggal=tanggal,
        modal_sosial=modal_sosial,
        spiritual=spiritual,
        jumlah_anggota_keluarga=jumlah_anggota_keluarga,
        pendapatan_rumah_tangga=pendapatan_rumah_tangga,
    )
    wajib_lolos(galat)
    indeks = indeks_modal_sosial(kuesioner, modal_sosial)
    try:
        with transaction.atomic():
            versi.naikkan([putaran.klaster_id])
            lama = (
                JawabanSurvei.objects.filter(putaran=putaran, mitra=mitra).only("tanggal").first()
            )
            if lama is not None:
                raise ValidationError(
                    _(
                        "%(nama)s sudah diwawancarai pada putaran %(putaran)s (%(tanggal)s). "
                        "Koreksi jawaban lewat admin."
                    )
                    % {
                        "nama": mitra.nama,
                        "putaran": putaran.nama,
                        "tanggal": format_tanggal(lama.tanggal),
                    }
                )
            jawaban = JawabanSurvei(
                uuid=uuid,
                putaran=putaran,
                mitra=mitra,
                tanggal=tanggal,
                modal_sosial={b.kode: modal_sosial[b.kode] for b in kuesioner.modal_sosial},
                indeks_relasi=indeks[RELASI],
                indeks_kapasitas=indeks[KAPASITAS],
                indeks_jejaring=indeks[JEJARING],
                indeks_modal_sosial=indeks[TOTAL],
                jumlah_anggota_keluarga=jumlah_anggota_keluarga,
                pendapatan_rumah_tangga=pendapatan_rumah_tangga,
                skor_spiritual=skor_spiritual([spiritual[b.kode] for b in kuesioner.spiritual]),
                dicatat_oleh=oleh,
                **{b.kode: spiritual[b.kode] for b in kuesioner.spiritual},
            )
            jawaban.versi_dinaikkan = True
            jawaban.save()
            return jawaban
    except IntegrityError:
        # sent twice at once (the other request saved it first), or the same member
        # interviewed on two phones at once (the one-answer-per-round constraint)
        ada = JawabanSurvei.objects.filter(uuid=uuid).first()
        if ada is None:
            raise ValidationError(
                _("%(nama)s sudah diwawancarai pada putaran %(putaran)s. Koreksi lewat admin.")
                % {"nama": mitra.nama, "putaran": putaran.nama}
            ) from None
        return _jawaban_sama(ada, putaran, mitra)


def _jawaban_sama(ada, putaran, mitra) -> JawabanSurvei:
    if ada.putaran_id != putaran.pk or ada.mitra_id != mitra.pk:
        raise ValidationError(
            _("Formulir ini sudah dipakai untuk jawaban lain; muat ulang halaman lalu isi lagi.")
        )
    return ada


@transaction.atomic
def penilaian_kelompok_catat(
    *,
    oleh,
    kelompok,
    tanggal: datetime.date,
    skor_pengurus: int,
    skor_pembukuan: int,
    skor_usaha_bersama: int,
    skor_usaha_anggota: int,
    skor_angsuran: int,
    catatan: str = "",
):
    """A facilitator's maturity assessment of a kelompok: the judged scores as given, the
    indicators from the records computed here for the assessment date (never typed), and
    the level by the rule of program/penilaian.py."""
    _petugas(
        oleh,
        kelompok.klaster_id,
        _("Hanya fasilitator atau manajer program klaster ini yang menilai kelompok."),
    )
    dinilai = {
        "skor_pengurus": skor_pengurus,
        "skor_pembukuan": skor_pembukuan,
        "skor_usaha_bersama": skor_usaha_bersama,
        "skor_usaha_anggota": skor_usaha_anggota,
        "skor_angsuran": skor_angsuran,
    }
    dinilai = {k: int(v) if str(v).isdigit() else v for k, v in dinilai.items()}
    wajib_lolos(
        aturan.periksa_penilaian(
            tanggal=tanggal, hari_ini=_hari_ini(), dibentuk=kelompok.tanggal_dibentuk, skor=dinilai
        )
    )
    versi.naikkan([kelompok.klaster_id])  # the report's distribution by level changes
    dihitung = penilaian.indikator(kelompok, tanggal)
    skor = {**dinilai, **{k: v for k, v in dihitung.items() if k.startswith("skor_")}}
    total, tingkat = penilaian.tingkat_dari_skor(skor[n] for n in SKOR_PENILAIAN)
    hasil = PenilaianKelompok(
        klaster_id=kelompok.klaster_id,
        kelompok=kelompok,
        tanggal=tanggal,
        **dihitung,
        **dinilai,
        skor_total=total,
        tingkat=tingkat,
        catatan=(catatan or "").strip(),
        dinilai_oleh=oleh,
    )
    hasil._history_user = oleh
    hasil.versi_dinaikkan = True
    hasil.full_clean()
    hasil.save()
    return hasil
