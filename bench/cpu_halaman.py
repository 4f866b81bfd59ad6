#!/usr/bin/env python3
"""CPU time per request of one page, in the process (Django's test client), for comparing two
checkouts of the code on the same seeded database.

    cd <checkout> && DEBUG=0 SECRET_KEY=x REDIS_URL=redis://127.0.0.1:6379/7 \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/km_bench \\
        /work/main/.venv/bin/python bench/cpu_halaman.py --user manajer_nasional --path /

On a shared 2-core machine bench.py's throughput moves by a third between runs of the same
code, more than a change of a tenth of a request's work. Here the process's own CPU time
is counted (time.process_time), over blocks of requests after a warm-up, and the smallest
block is reported with the median: alternate the two checkouts a few times and compare the
minimums. Reads only (GET); the database must be seeded (bench.py --seed) and the static
files collected (DEBUG=0 serves the hashed names).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--user", default="manajer_nasional", help="username to sign in as")
    p.add_argument("--path", default="/", help="the page (GET)")
    p.add_argument("--warmup", type=int, default=50, help="requests before measuring")
    p.add_argument("--blok", type=int, default=10, help="blocks measured")
    p.add_argument("--n", type=int, default=200, help="requests per block")
    a = p.parse_args()

    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username=a.user))
    for _ in range(a.warmup):
        status = client.get(a.path, secure=True).status_code
        if status != 200:
            sys.exit(f"{a.path} answered {status}")
    per_blok = []
    for _ in range(a.blok):
        mulai = time.process_time()
        for _ in range(a.n):
            client.get(a.path, secure=True)
        per_blok.append((time.process_time() - mulai) / a.n * 1000)
    print(
        f"{a.path} as {a.user}: CPU ms per request min {min(per_blok):.3f} "
        f"median {statistics.median(per_blok):.3f} ({a.blok} blocks of {a.n})"
    )


if __name__ == "__main__":
    main()
