"""`check_storage`: rows and evidence files agree, both ways."""

import os
import time

import pytest
from django.core.management import CommandError, call_command

from brunswick.retention.files import pending_files_queue
from reports.models import Screenshot
from tests.factories import ReportFactory

from .helpers import screenshot_for

pytestmark = pytest.mark.django_db


def check(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("check_storage", *args, stdout=out)
    return out.getvalue()


def check_failing(*args) -> str:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_storage", *args, stdout=out)
    return out.getvalue()


def plant(private_media, name: str, hours_old: float = 2):
    path = private_media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return path


def test_storage_that_agrees_has_no_problems(private_media):
    screenshot_for(ReportFactory())
    output = check()
    assert "Checked 3 files and 3 file fields." in output and "No problems found." in output


def test_an_empty_storage_has_no_problems():
    assert "No problems found." in check()


@pytest.mark.smoke
def test_a_planted_file_with_no_row_is_reported_and_deleted_on_request(private_media):
    screenshot_for(ReportFactory())
    planted = plant(private_media, "working/planted.png")
    output = check_failing()
    assert "File with no row: working/planted.png" in output
    assert planted.exists()

    output = check("--delete-orphan-files")
    assert "Deleted 1 files with no row." in output and not planted.exists()
    assert "No problems found." in check()


def test_a_new_file_is_left_alone_while_its_row_may_still_be_coming(private_media):
    plant(private_media, "originals/uploading", hours_old=0)
    assert "No problems found." in check()
    assert "originals/uploading" in check_failing("--grace-minutes", "0")


def test_a_row_whose_file_was_deleted_is_reported(private_media):
    shot = screenshot_for(ReportFactory())
    (private_media / shot.working.name).unlink()
    output = check_failing("--delete-orphan-files")
    assert (
        f"Row pointing at a missing file: reports.screenshot #{shot.id} working -> "
        f"{shot.working.name}"
    ) in output
    assert Screenshot.objects.get(id=shot.id).working.name == shot.working.name  # Not "fixed".


def test_a_file_left_by_an_interrupted_purge_says_so(private_media):
    plant(private_media, "thumbnails/left.jpg")
    pending_files_queue(["thumbnails/left.jpg"])
    assert "thumbnails/left.jpg (its row was purged; the next purge deletes it)" in check_failing()
