import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# compile the templates and load the catalogues now, not in the first requests
from config.pemanasan import panaskan  # noqa: E402

panaskan()
