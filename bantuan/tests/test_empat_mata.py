"""Four eyes on financing (issue 15, item 6): whoever proposed a financing does not approve
it, at every door (the service, hence the page and the admin action), unless the programme
turned settings.EMPAT_MATA off."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bantuan import aturan, services
from bantuan.models import Bantuan, SumberDana
from bantuan.tests.factories import SumberDanaFactory
from klaster.models import Penugasan
from klaster.tests.factories import PenugasanFactory, UserFactory
from mitra.tests.factories import MitraFactory

D = datetime.date


@pytest.fixture
def mitra(personas):
    return MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)


@pytest.fixture
def manajer2(personas):
    m = UserFactory(username="manajer2", grup="Manajer Program")
    PenugasanFactory(pengguna=m, klaster=personas.klaster_lebak, peran=Penugasan.Peran.MANAJER)
    return m


def ajukan(oleh, klaster, mitra):
    return services.bantuan_ajukan(
        oleh=oleh,
        klaster=klaster,
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        sumber_dana=SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT),
        jumlah=Decimal("1000000"),
        tanggal_pengajuan=D(2012, 3, 1),
        mitra=mitra,
        tenor_bulan=7,
    )


def test_the_rule_refuses_only_the_proposer(settings):
    settings.EMPAT_MATA = True
    assert "empat mata" in aturan.periksa_empat_mata(diajukan_oleh_id=7, oleh_id=7)
    assert aturan.periksa_empat_mata(diajukan_oleh_id=7, oleh_id=8) is None
    # proposals written in bulk before the proposer was kept have none: nobody to compare
    assert aturan.periksa_empat_mata(diajukan_oleh_id=None, oleh_id=8) is None
    settings.EMPAT_MATA = False
    assert aturan.periksa_empat_mata(diajukan_oleh_id=7, oleh_id=7) is None


def test_the_setting_is_on_unless_turned_off():
    from django.conf import settings as asli

    assert asli.EMPAT_MATA is True


def test_the_proposer_cannot_approve_their_own_proposal(personas, mitra, manajer2):
    b = ajukan(personas.manajer, personas.klaster_lebak, mitra)
    with pytest.raises(ValidationError, match="manajer lain"):
        services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DIAJUKAN and b.disetujui_oleh is None
    # another manager of the klaster may
    services.bantuan_setujui(bantuan=b, oleh=manajer2, tanggal=D(2012, 3, 5))
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DISETUJUI and b.disetujui_oleh == manajer2


def test_a_proposal_by_a_facilitator_is_approved_by_the_manager(personas, mitra):
    b = ajukan(personas.fasilitator, personas.klaster_lebak, mitra)
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DISETUJUI


def test_one_person_may_do_both_when_the_programme_turns_it_off(settings, personas, mitra):
    settings.EMPAT_MATA = False
    b = ajukan(personas.manajer, personas.klaster_lebak, mitra)
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    assert Bantuan.objects.get(pk=b.pk).disetujui_oleh == personas.manajer


def test_the_admin_action_refuses_the_proposer_too(client, personas, mitra):
    admin = personas.admin
    PenugasanFactory(pengguna=admin, klaster=personas.klaster_lebak, peran=Penugasan.Peran.MANAJER)
    b = ajukan(admin, personas.klaster_lebak, mitra)
    client.force_login(admin)
    r = client.post(
        reverse("admin:bantuan_bantuan_changelist"),
        {"action": "setujui", "_selected_action": [b.pk]},
        follow=True,
    )
    assert "manajer lain" in r.content.decode()
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DIAJUKAN
