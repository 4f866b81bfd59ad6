import pytest
from django.urls import reverse

from klaster.models import Klaster
from klaster.tests.factories import KlasterFactory


@pytest.mark.django_db
def test_fasilitator_sees_only_assigned_klaster(personas):
    assert list(Klaster.objects.visible_to(personas.fasilitator2)) == [personas.klaster_lain]
    assert list(Klaster.objects.visible_to(personas.fasilitator)) == [personas.klaster_lebak]


@pytest.mark.django_db
def test_superuser_sees_every_klaster(personas):
    assert Klaster.objects.visible_to(personas.admin).count() == 2


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("klaster:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("akun:masuk"))


def test_klaster_detail_of_another_klaster_is_404(client, personas):
    client.force_login(personas.fasilitator2)
    response = client.get(reverse("klaster:detail", args=[personas.klaster_lebak.pk]))
    assert response.status_code == 404


def test_ids_in_links_have_no_thousand_separator(client, personas):
    # the id locale writes 12345 as "12.345"; ids in links and attributes must stay digits
    besar = KlasterFactory(pk=12345, kode="BSR")
    client.force_login(personas.admin)
    html = client.get(reverse("klaster:detail", args=[besar.pk])).content.decode()
    assert "?klaster=12345" in html
    assert "12.345" not in html


def _sql(qs) -> tuple:
    from django.core.exceptions import EmptyResultSet

    try:
        return qs.query.get_compiler(qs.db).as_sql()
    except EmptyResultSet:
        return ("none",)


@pytest.mark.django_db
def test_the_scope_name_names_exactly_the_scopes_sql(personas):
    """kunci_lingkup (the key of the dashboard digest's composed SQL, klaster/versi.py) is
    the same for two (user, day) pairs exactly when visible_to gives them the same SQL and
    parameters: a memo under it can never hand one user another's scope."""
    import datetime

    from django.contrib.auth.models import AnonymousUser

    from klaster.models import kunci_lingkup
    from klaster.tests.factories import UserFactory

    nasional = UserFactory(username="nasional", grup="Manajer Nasional")
    nasional2 = UserFactory(username="nasional2", grup="Manajer Nasional")
    orang = [
        AnonymousUser(),
        personas.admin,
        nasional,
        nasional2,
        personas.manajer,
        personas.fasilitator,
        personas.fasilitator2,
    ]
    hari = [datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)]
    per_kunci: dict[tuple, set] = {}
    per_sql: dict[tuple, set] = {}
    for user in orang:
        for tanggal in hari:
            kunci = kunci_lingkup(user, tanggal)
            sql = _sql(Klaster.objects.visible_to(user, tanggal))
            per_kunci.setdefault(kunci, set()).add(sql)
            per_sql.setdefault(sql, set()).add(kunci)
    assert all(len(s) == 1 for s in per_kunci.values()), per_kunci
    assert all(len(k) == 1 for k in per_sql.values()), per_sql
    # every one a scope of its own, but the three who see everything (on either day) and the
    # anonymous (nothing, either day)
    assert len(per_kunci) == 1 + 1 + 3 * 2
