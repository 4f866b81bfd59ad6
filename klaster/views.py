from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


# Error pages in Indonesian that show no internals.
def galat_400(request, exception=None):
    return render(request, "galat/400.html", status=400)


def galat_403(request, exception=None):
    return render(request, "galat/403.html", status=403)


def galat_404(request, exception=None):
    return render(request, "galat/404.html", status=404)


def galat_500(request):
    # Rendered without the request: no context processor runs, so this page still shows
    # when the database (sessions, users, roles) is what failed.
    return HttpResponseServerError(loader.render_to_string("galat/500.html"))
