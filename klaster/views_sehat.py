"""A trivial view: the benchmark's baseline, and a liveness probe for a load balancer.

It answers without login and without touching the database (no query at all), so its time
is the floor of this server: gunicorn, the middleware stack and Django's URL routing. The
benchmark (bench/bench.py) requests it without a session cookie, so the session middleware
does not load or save a session either. Every other page's throughput is reported as a
ratio of this one's.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def sehat(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
