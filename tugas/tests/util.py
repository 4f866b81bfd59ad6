"""Running the queue in a test: django-tasks-db's own worker runs each waiting entry, in
this process and this test's transaction (its polling loop, which closes connections
between rounds, is what `manage.py db_worker` adds around it)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def jalankan_antrean() -> int:
    """Run every waiting job; returns how many ran."""
    pekerja = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="uji",
        excluded_queue_names=[],
    )
    n = 0
    while (entri := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        entri.claim("uji")
        pekerja.run_task(entri)
        n += 1
    return n
