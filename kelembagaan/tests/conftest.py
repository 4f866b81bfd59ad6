# the browser screens (phone, laptop) of the e2e tests, for this app's browser tests
from tests.e2e.conftest import laptop, page  # noqa: F401
