"""One declaration of personal fields (brunswick.retention.personal_data), three consumers:
the purge, erasure and the subject access pack. The first test fills every declared field
of every declared model and fails if any of the three misses one; the guard fails when a
text, file or JSON field of any of the project's models is not classified at all."""

import inspect
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalChanges

from brunswick.retention.models import LegalHold
from brunswick.retention.personal_data import NOT_ABOUT_PARENTS, PERSONAL, declared_for
from brunswick.retention.purge import purge_expired
from brunswick.subject_access.erasure import erasure_apply
from brunswick.subject_access.models import ErasureRecord, SubjectAccessRequest
from brunswick.subject_access.pack import pack_gather
from brunswick.subject_access.pack_rows import LABELS
from cases.models import Case, CaseReopening, Decision
from letters.models import Letter, LetterKind
from reports.models import Message
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.letters.helpers import template
from tests.subject_access.conftest import pack_pdf_text

from .helpers import screenshot_for

NAME = "Jordan Smith"  # The person whose records these are.
TEXT_FIELDS = (models.CharField, models.TextField, models.FileField, models.JSONField)


@dataclass(frozen=True)
class Marked:
    """One declared field holding its own marker: a unique token, the person's name and a
    phone number nobody on the register has (a third party's)."""

    model: type[models.Model]
    pk: int
    field: str
    token: str
    phone: str
    own: bool  # The requester's own name or contact (their entry, a letter to them).

    @property
    def text(self) -> str:
        return f"{self.token} {NAME} {self.phone}"

    @property
    def name(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def values(self) -> list[str]:
        """The field now, and in every historical row of its record."""
        row = self.model.objects.values_list(self.field, flat=True).get(pk=self.pk)
        history = self.model.history.filter(id=self.pk).values_list(self.field, flat=True)
        return [row, *history]


class Markers:
    def __init__(self):
        self.marked: list[Marked] = []

    def next(self) -> tuple[str, str]:
        n = len(self.marked) + 1
        return f"MARK{n:03d}", f"07400 1{n:05d}"

    def fill(self, obj: models.Model, *, own: bool = False) -> models.Model:
        declared = PERSONAL[type(obj)]
        for name in declared.text:
            own_detail = own and name not in declared.written
            mark = Marked(type(obj), obj.pk, name, *self.next(), own=own_detail)
            setattr(obj, name, mark.text)
            self.marked.append(mark)
        obj.save()
        return obj


def records_about(person, other, slt, head_teacher, markers: Markers):
    """A closed case about `person` (and `other`, if given) with one of everything the
    declaration names, each personal field filled with its marker."""
    case = markers.fill(CaseFactory(lead=slt, status=Case.Status.CLOSED, closed_at=timezone.now()))
    case.people.add(*[p for p in (person, other) if p])
    report = markers.fill(ReportFactory(case=case, group=None, group_other="x", status="closed"))
    markers.fill(Message.objects.create(report=report, author="reporter", body="x"))
    markers.fill(screenshot_for(report))
    markers.fill(LadderStepFactory(case=case, person=person, status="completed"))
    markers.fill(
        Decision.objects.create(
            case=case,
            outcome=Decision.Outcome.WARNING_ISSUED,
            reasons="x",
            decided_on=timezone.localdate(),
            decided_by=head_teacher,
        )
    )
    markers.fill(
        CaseReopening.objects.create(
            case=case, reason="x", reopened_by=head_teacher, closed_at=timezone.now()
        )
    )
    markers.fill(_letter_to(person, case, slt), own=True)
    for on in ({"case": case}, {"person": person}):
        markers.fill(_released_hold(head_teacher, **on))
    markers.fill(
        SubjectAccessRequest.objects.create(
            person=person,
            received_on=timezone.localdate(),
            due_on=timezone.localdate() + timedelta(days=28),
            created_by=head_teacher,
        )
    )


def _letter_to(person, case, slt) -> Letter:
    warning = template()
    return Letter.objects.create(
        case=case,
        person=person,
        kind=LetterKind.WARNING_LETTER,
        template=warning,
        template_version=warning.history.latest(),
        status=Letter.Status.POSTED,
        addressee_name="x",
        summary="x",
        drafted_by=slt,
        letter_date=timezone.localdate(),
        posted_on=timezone.localdate(),
    )


def _released_hold(head_teacher, **on) -> LegalHold:
    return LegalHold.objects.create(
        **on,
        reason="x",
        placed_by=head_teacher,
        released_by=head_teacher,
        released_at=timezone.now(),
        release_reason="x",
    )


def not_in_the_pack(marks: list[Marked], text: str, pack) -> list[Marked]:
    """Those the pack misses. Each must be there: the requester's own name or contact as
    held; other text with the third party's number redacted; or, not shown, listed as
    withheld or redacted whole (as many listings of its kind as there are such fields)."""
    missed, unshown = [], []
    for mark in marks:
        if mark.own:
            missed += [] if mark.text in text else [mark]
        elif mark.token in text:
            missed += [] if mark.phone not in text else [mark]
        else:
            unshown.append(mark)
    listed = Counter(item.what for item in [*pack.withheld, *pack.redactions])
    needed = Counter(noun(mark) for mark in unshown)
    return missed + [m for m in unshown if listed[noun(m)] < needed[noun(m)]]


def noun(mark: Marked) -> str:
    return LABELS[mark.model][mark.field].noun


@pytest.mark.smoke
@pytest.mark.django_db
@pytest.mark.parametrize("shared", [False, True], ids=["about them alone", "about two parents"])
def test_every_declared_field_is_purged_erased_and_in_the_pack(
    shared, client, slt, head_teacher, tmp_path
):
    markers = Markers()
    person = PersonFactory(full_name=NAME, group_names="Jordan S", email="jordan@example.org")
    markers.fill(person, own=True)  # Their name is still in the entry's history.
    other = PersonFactory(full_name="Casey Morgan") if shared else None
    records_about(person, other, slt, head_teacher, markers)
    request = SubjectAccessRequest.objects.get(person=person)
    covered = {mark.model for mark in markers.marked} | {ErasureRecord}
    assert covered == set(PERSONAL), "give the new model a record in records_about()"
    missed: dict[str, list[str]] = {"pack": [], "erasure": [], "purge": []}

    text, pack = pack_pdf_text(client, head_teacher, request, tmp_path), pack_gather(request)
    missed["pack"] += [mark.name for mark in not_in_the_pack(markers.marked, text, pack)]

    # The reason for the erasure is about them too; it exists once they are erased.
    token, phone = markers.next()
    record = erasure_apply(
        person=person, reason=f"{token} {NAME} {phone}", acting_user=head_teacher
    )
    reason = Marked(ErasureRecord, record.pk, "reason", token, phone, own=False)
    markers.marked.append(reason)
    missed["erasure"] += [
        mark.name for mark in markers.marked if any(NAME in value for value in mark.values())
    ]
    text, pack = pack_pdf_text(client, head_teacher, request, tmp_path), pack_gather(request)
    missed["pack"] += [mark.name for mark in not_in_the_pack([reason], text, pack)]

    result = purge_expired(today=timezone.localdate() + timedelta(days=7 * 366), dry_run=False)
    assert result.failed == [] and person.id in result.person_ids
    missed["purge"] += [
        mark.name for mark in markers.marked if any(mark.token in v for v in mark.values())
    ]

    assert missed == {"pack": [], "erasure": [], "purge": []}


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def project_models() -> list[type[models.Model]]:
    """Every model of the project's own apps: defined in a module under the project's
    folder, not in the virtualenv or a migration, and not simple-history's copy of one
    (a historical model's fields are its model's; they follow that declaration)."""
    root = Path(settings.BASE_DIR).resolve()
    found = []
    for model in apps.get_models():
        path = Path(inspect.getfile(model)).resolve()
        outside = not path.is_relative_to(root)
        if outside or {".venv", "site-packages", "migrations"} & set(path.parts):
            continue
        if not issubclass(model, HistoricalChanges):
            found.append(model)
    return sorted(found, key=_label)


@pytest.mark.parametrize("model", project_models(), ids=_label)
def test_every_text_file_and_json_field_of_every_model_is_classified(model):
    fields = {field.name for field in model._meta.get_fields() if isinstance(field, TEXT_FIELDS)}
    declared = declared_for(model)
    if declared is None:
        assert not fields, f"classify these in brunswick/retention/personal_data.py: {fields}"
        return
    classified = declared.classified
    assert fields - set(classified) == set(), "classify these in retention/personal_data.py"
    assert set(classified) - fields == set(), "no longer text fields of the model"
    assert len(classified) == len(set(classified)), "a field is classified twice"


def test_the_guard_walks_the_projects_own_models_and_no_others():
    labels = {_label(model) for model in project_models()}
    assert {"reports.Report", "cases.Person", "accounts.User", "audit.AuditEvent"} <= labels
    assert not {label for label in labels if label.split(".")[0] in ("auth", "axes", "otp_totp")}
    assert "cases.HistoricalPerson" not in labels
    assert set(PERSONAL) <= set(project_models())


def test_every_model_declared_by_label_is_still_a_model():
    for label in NOT_ABOUT_PARENTS:
        assert apps.get_model(label), label
