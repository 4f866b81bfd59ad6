"""Browser tests: Debian's Chromium driven by Playwright (never `playwright install`)."""

import pytest

# `browser` (session-wide Debian Chromium) and the role-group fixture live in the root
# conftest.py, shared with the browser tests inside the apps.


@pytest.fixture
def page(browser):
    """A phone: 360×740, touch, Indonesian."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()
