"""Faults against the real servers: nothing the user did is lost, nothing is done twice."""

from datetime import timedelta

import pytest
from django.db import connection

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_relay
from letters.models import Letter
from letters.services import letter_approve
from reports.models import Report, Screenshot
from tests.celery_worker import wait_until
from tests.letters.helpers import warning_letter
from tests.reports.helpers import report_form_data, screenshot_upload


def test_a_letter_approved_while_redis_is_down_is_rendered_once_redis_is_back(
    slt, head_teacher, servers, celery_worker, private_media
):
    letter, _ = warning_letter(slt)
    servers.redis.halt()
    letter_approve(letter=letter, acting_user=head_teacher)  # Succeeds for the Head Teacher.
    assert Letter.objects.get(id=letter.id).status == Letter.Status.RENDERING
    assert OutboxMessage.objects.pending().filter(kind="render_letter").count() == 1

    servers.redis.resume()
    celery_worker()
    outbox_relay(older_than=timedelta(0))
    wait_until(lambda: Letter.objects.get(id=letter.id).status == Letter.Status.READY, timeout=60)
    outbox_relay(older_than=timedelta(0))
    assert len(list((private_media / "letters").iterdir())) == 1


@pytest.fixture
def failing_categories(transactional_db):
    """A database error part-way through saving a report (after the report row itself)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION fail_category() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER fail_category BEFORE INSERT ON reports_reportcategory "
            "FOR EACH ROW EXECUTE FUNCTION fail_category()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER fail_category ON reports_reportcategory")
        cursor.execute("DROP FUNCTION fail_category()")


def test_a_database_error_mid_submission_commits_nothing_and_sends_nothing(
    client, groups, failing_categories, private_media
):
    client.raise_request_exception = False
    data = report_form_data(groups[0])
    response = client.post("/report/", {**data, "screenshots": [screenshot_upload()]})

    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert Report.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    # The screenshot stays staged for the form (row and files together), nothing else.
    [staged] = Screenshot.objects.all()
    assert staged.report_id is None
    on_disk = sorted(
        p.relative_to(private_media).as_posix() for p in private_media.rglob("*") if p.is_file()
    )
    assert on_disk == sorted([staged.original.name, staged.working.name, staged.thumbnail.name])
