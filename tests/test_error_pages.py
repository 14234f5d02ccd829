import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_a_server_error_shows_no_traceback_or_detail(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "SECRET-INTERNAL-DETAIL" not in page
    assert "Traceback" not in page


def test_an_unknown_page_is_a_plain_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
