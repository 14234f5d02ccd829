"""The proxy's own pages (docker/proxy-errors), which a parent sees when the portal cannot
answer or an upload is too big, read well on a 360 px phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PAGES = sorted((Path(__file__).parents[2] / "docker" / "proxy-errors").glob("*.html"))


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_the_proxys_page_fits_a_phone_and_passes_axe(phone, path):
    phone.goto(path.as_uri())
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
