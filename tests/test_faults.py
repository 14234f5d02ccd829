"""Faults against the real servers: nothing the user did is lost, nothing is done twice."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_relay
from letters.models import Letter
from letters.services import letter_approve
from reports.models import Report, Screenshot
from tests.celery_worker import wait_until
from tests.letters.helpers import warning_letter
from tests.reports.helpers import report_form_data, screenshot_upload
from tests.servers import free_port


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


def test_the_site_carries_on_after_postgresql_restarts(servers, transactional_db, tmp_path):
    """gunicorn keeping its database connection between requests, as in production."""
    database = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brunswick.settings",
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "CONN_MAX_AGE": "600",
        "BRUNSWICK_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "brunswick.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    try:
        wait_until(lambda: get("/report/") == 200, timeout=30)  # Connection opened and kept.
        servers.postgres.restart()
        assert get("/report/") == 200  # Checked before use, found dead, reopened.
        assert get("/follow-up/") == 200
    finally:
        server.terminate()
        server.wait(10)
        connection.close()  # The suite's own connection died in the restart too.
