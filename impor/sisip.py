"""Fast INSERT / UPDATE of imported records together with their simple_history rows.

simple_history's bulk_create_with_history does the right thing through the ORM, but the ORM
spends ~10 µs per value building each statement: for 10,000 mitra and their 10,000 history
rows (about 390,000 values) that was 10+ seconds of a 30-second budget on this machine. Here
the statement is written once per table and values are adapted with the backend's own
adapters, in batches of multi-row VALUES with RETURNING the new ids (SQLite ≥ 3.35 and
PostgreSQL; the same order Django's own bulk_create relies on); updates are one statement run
for every row. The history rows hold exactly what simple_history would write: every tracked
field, history_date, history_type "+" or "~", history_user and history_change_reason.
"""

from django.db import connections, models, router
from django.db.models.fields.files import FieldFile
from django.utils import timezone


def _pengadaptasi(field, connection):
    """One function per field turning a Python value into what the driver takes."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        return lambda v: (
            None if v is None else ops.adapt_decimalfield_value(
                v, field.max_digits, field.decimal_places
            )
        )  # fmt: skip
    if isinstance(
        field,
        models.CharField | models.TextField | models.IntegerField | models.ForeignKey
        | models.BooleanField,
    ):  # fmt: skip
        return lambda v: v
    return lambda v: field.get_db_prep_save(v, connection)


def _sisip(connection, model, kolom_fields, baris: list[tuple]) -> list:
    """INSERT rows; return the new primary keys in the order of `baris`."""
    if not baris:
        return []
    qn = connection.ops.quote_name
    tabel = qn(model._meta.db_table)
    kolom = ", ".join(qn(f.column) for f in kolom_fields)
    pk = qn(model._meta.pk.column)
    ukuran = max(1, min(500, connection.ops.bulk_batch_size(kolom_fields, baris)))
    satu = "(" + ", ".join(["%s"] * len(kolom_fields)) + ")"
    ids = []
    with connection.cursor() as cursor:
        for i in range(0, len(baris), ukuran):
            potong = baris[i : i + ukuran]
            sql = (
                f"INSERT INTO {tabel} ({kolom}) VALUES {', '.join([satu] * len(potong))} "  # noqa: S608 (identifiers quoted, values bound) # nosec B608
                f"RETURNING {pk}"
            )
            cursor.execute(sql, [v for row in potong for v in row])
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def sisip_dengan_riwayat(model, objs: list, *, oleh, alasan: str) -> None:
    """Insert unsaved `objs` (their pk is set afterwards) and one "+" history row each."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adaptasi = [_pengadaptasi(f, connection) for f in fields]
    baris = []
    for obj in objs:
        # pre_save fills auto_now_add and the like, as Model.save() would
        baris.append(tuple(a(f.pre_save(obj, True)) for f, a in zip(fields, adaptasi, strict=True)))
    ids = _sisip(connection, model, fields, baris)
    assert len(ids) == len(objs)  # internal invariant, not an access check  # nosec B101
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias

    _riwayat(connection, model, objs, oleh=oleh, alasan=alasan, jenis="+")


def _riwayat(connection, model, objs, *, oleh, alasan: str, jenis: str) -> None:
    """One simple_history row per object, with the values it has now."""
    riwayat = model.history.model
    h_fields = [f for f in riwayat._meta.concrete_fields if not f.primary_key]
    h_adaptasi = [_pengadaptasi(f, connection) for f in h_fields]
    tetap = {
        "history_date": timezone.now(),
        "history_change_reason": alasan,
        "history_type": jenis,
        "history_user_id": oleh.pk if oleh is not None else None,
    }
    h_baris = [
        tuple(
            a(tetap[f.attname] if f.attname in tetap else _nilai_riwayat(obj, f.attname))
            for f, a in zip(h_fields, h_adaptasi, strict=True)
        )
        for obj in objs
    ]
    _sisip(connection, riwayat, h_fields, h_baris)


def _nilai_riwayat(obj, attname: str):
    # simple_history keeps a file field (a photo) as the file's name in a text column
    nilai = getattr(obj, attname)
    return (nilai.name or "") if isinstance(nilai, FieldFile) else nilai


def ubah_dengan_riwayat(model, objs: list, fields: list[str], *, oleh, alasan: str) -> None:
    """UPDATE the given fields of saved `objs` and add one "~" history row each.

    The statement is written once; SQLite runs it with executemany, PostgreSQL in pages
    (psycopg2's execute_batch) so 10,000 updates are not 10,000 round trips.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    kolom = [model._meta.get_field(f) for f in fields]
    adaptasi = [_pengadaptasi(f, connection) for f in kolom]
    pk = model._meta.pk
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET "  # noqa: S608 (identifiers quoted, values bound) # nosec B608
        + ", ".join(f"{qn(f.column)} = %s" for f in kolom)
        + f" WHERE {qn(pk.column)} = %s"
    )
    params = [
        (*(a(f.pre_save(obj, False)) for f, a in zip(kolom, adaptasi, strict=True)), obj.pk)
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            execute_batch(cursor.cursor, sql, params, page_size=500)
        else:
            cursor.executemany(sql, params)
    _riwayat(connection, model, objs, oleh=oleh, alasan=alasan, jenis="~")
