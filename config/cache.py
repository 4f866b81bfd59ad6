"""The report cache's table (settings.CACHES["laporan"] without Redis): Django's
DatabaseCache, whose set_many writes entries one by one (a count, a transaction, a lookup
and an insert each: five queries per entry). The report keeps an entry per klaster and group
of sections and one per merged section (laporan/bagian.py), written together after the
response, so a cold national page wrote a few dozen entries one by one. Here they go in one
statement: one count (and the table's cull when it is full, as Django does), one upsert.
PostgreSQL and SQLite have INSERT ... ON CONFLICT; another database keeps Django's way."""

import base64
import pickle  # nosec B403: Django's DatabaseCache pickles the same way
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

BARIS_PER_PERINTAH = 300


class TabelCache(DatabaseCache):
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not data or connection.vendor not in ("postgresql", "sqlite"):
            return super().set_many(data, timeout, version)
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            exp = datetime.max
        else:
            exp = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        exp = connection.ops.adapt_datetimefield_value(exp.replace(microsecond=0))
        baris = []
        for key, value in data.items():
            key = self.make_and_validate_key(key, version=version)
            isi = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            baris.append((key, isi, exp))
        q = connection.ops.quote_name
        tabel = q(self._table)
        kunci, nilai, kedaluwarsa = q("cache_key"), q("value"), q("expires")
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {tabel}")  # noqa: S608 # nosec B608
            jumlah = cursor.fetchone()[0] + len(baris)
            if jumlah > self._max_entries:
                self._cull(db, cursor, tz_now().replace(microsecond=0), jumlah)
            # (SQLite takes at most 999 parameters in a statement on older builds)
            for awal in range(0, len(baris), BARIS_PER_PERINTAH):
                potong = baris[awal : awal + BARIS_PER_PERINTAH]
                tempat = ", ".join(["(%s, %s, %s)"] * len(potong))
                perbarui = f"{nilai} = EXCLUDED.{nilai}, {kedaluwarsa} = EXCLUDED.{kedaluwarsa}"
                # names quoted by the database's own quote_name, values as parameters
                sql = f"INSERT INTO {tabel} ({kunci}, {nilai}, {kedaluwarsa}) VALUES {tempat} ON CONFLICT ({kunci}) DO UPDATE SET {perbarui}"  # noqa: E501, S608 # nosec B608
                cursor.execute(sql, [v for b in potong for v in b])
        return []
