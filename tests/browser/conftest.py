import pytest

# The narrowest phone the parent's pages are made for (GOV.UK tests down to 320 px; most
# Android phones are 360 px wide).
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(page):
    """The browser's page, as wide as a phone."""
    page.set_viewport_size(PHONE)
    return page
