import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# compile the templates and load the catalogues now, not in the first requests, and keep
# what lives as long as the worker out of the garbage collector's full scans
from config.pemanasan import bekukan, panaskan  # noqa: E402

panaskan()
bekukan()
