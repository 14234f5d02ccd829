"""Guard: every form in the project speaks GOV.UK.

It imports every module of the project's apps, finds every form class defined in them,
builds each one (BUILDERS says how, for those that need more than `Form()`), and walks
every field, those __init__ removes for some pages included:

- a date field that is not `brunswick.forms.GovukDateField` fails (4-digit years, real
  dates, the Design System's words, what was typed kept);
- a message still in Django's own default words fails ("This field is required.", "Select
  a valid choice. ...", "Ensure this value has at most ...", "Null characters are not
  allowed.", "Enter a valid email address.", crispy-forms-gds' "Enter a valid date" ...),
  for every error the field can show: its own codes, its validators', and for a model
  form the model's checks. "required" only counts on a required field; a disabled field
  shows none. A hidden field's errors count too: they go to the top of the form
  (brunswick.forms.ErrorSummaryMixin), so they must say what to do;
- a form with no `helper` fails: crispy-forms-gds' error summary shows nothing without it;
  and one with a hidden field fails unless it puts that field's errors at the top.
"""

import importlib
import pkgutil
from datetime import date
from types import SimpleNamespace

import pytest
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import validators as auth_validators
from django.contrib.auth.models import AbstractUser
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseModelForm

from brunswick.access.admin import StaffUserChangeForm
from brunswick.access.views import StaffPasswordForm
from brunswick.accounts.models import Role
from brunswick.accounts.views import StaffAuthenticationForm
from brunswick.forms import ErrorSummaryMixin, GovukDateField
from brunswick.school.models import SchoolSettings
from cases.forms import CompleteStepForm, StepForm
from cases.models import LadderStep
from insight.forms import InsightFilterForm
from letters.content import FACTS
from letters.forms import DraftForm
from letters.office_views import PostedForm
from reports.filters import ReportFilter
from reports.forms import ReportForm
from reports.models import Report
from tests.factories import CaseFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = ("brunswick", "reports", "cases", "letters", "insight")


def _import_every_module() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls: type):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms() -> dict[str, type]:
    _import_every_module()
    found = {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith(tuple(f"{app}." for app in APPS))
    }
    return dict(sorted(found.items()))


# How to build the forms that need more than Form(): every variant a page can show (a
# step form per kind of step), or the fullest one (a letter stating every fact).
BUILDERS = {
    "brunswick.access.admin.StaffUserChangeForm": lambda: StaffUserChangeForm(
        instance=UserFactory(), acting_user=UserFactory(role=Role.ADMIN)
    ),
    "brunswick.access.views.StaffPasswordForm": lambda: StaffPasswordForm(UserFactory()),
    "brunswick.accounts.views.StaffAuthenticationForm": lambda: StaffAuthenticationForm(None),
    "cases.forms.StepForm": lambda: [
        StepForm(kind=kind, case=CaseFactory(), skipping=True) for kind in LadderStep.Kind
    ],
    "cases.forms.CompleteStepForm": lambda: CompleteStepForm(
        step=LadderStep(kind=LadderStep.Kind.MEETING)
    ),
    "insight.forms.InsightFilterForm": lambda: InsightFilterForm(
        {}, groups=[(1, "Year 3")], terms=[], today=date(2026, 3, 27)
    ),
    "letters.forms.DraftForm": lambda: DraftForm(
        case_reports=Report.objects.filter(id__in=[ReportFactory().id, ReportFactory().id]),
        stated=list(FACTS),
    ),
    "letters.office_views.PostedForm": lambda: PostedForm(letter=SimpleNamespace(id=1)),
    # The inbox's form is made by django-filter from the filters: that one is walked.
    "reports.filters.InboxFilterForm": lambda: (
        ReportFilter({}, queryset=Report.objects.none()).form
    ),
    "reports.forms.ReportForm": lambda: ReportForm(
        school=SchoolSettings(allow_anonymous_reports=False)
    ),
}
# Forms whose errors are not shown by crispy-forms-gds' error summary, and where they are.
OWN_SUMMARY = {
    # The office queue lists a row's problems itself (letters/office_views._form_problems).
    "letters.office_views.PostedForm",
    # Django's admin page shows its own "Please correct the errors below".
    "brunswick.access.admin.StaffUserChangeForm",
}
# Django's default words still shown by forms in files this change could not edit; each
# entry is "form field code". Remove an entry once the form is fixed: the test below fails
# on an entry that is no longer needed, so this list only shrinks.


FORMS = _project_forms()


class _Params(dict):
    """Fills in whatever a default message names ("%(value)s", "%(limit_value)d")."""

    def __missing__(self, key):
        return 1


def _words(message) -> str:
    return ValidationError(message, params=_Params()).messages[0]


def _django_defaults() -> set[str]:
    """Every message Django and crispy-forms-gds give a field, a validator or a form."""
    messages = []
    field_classes = [*_subclasses(forms.Field), forms.Field, *_subclasses(models.Field)]
    for cls in field_classes:
        if cls.__module__.startswith("django."):
            messages += cls.__dict__.get("default_error_messages", {}).values()
    for module in (validators, auth_validators):
        for value in vars(module).values():
            # Validator classes, and instances such as validate_email.
            if hasattr(value, "message") and hasattr(value, "code"):
                messages.append(value.message)
    messages.append(validators.MaxLengthValidator.message)
    messages.append(validators.MinLengthValidator.message)
    for cls in vars(auth_forms).values():
        if isinstance(cls, type) and isinstance(cls.__dict__.get("error_messages"), dict):
            messages += cls.__dict__["error_messages"].values()
    for field in AbstractUser._meta.local_fields:
        messages += field.error_messages.values()
    crispy = DateInputField()
    messages += crispy.error_messages.values()
    for box in crispy.fields:
        messages += box.error_messages.values()
        messages += [validator.message for validator in box.validators]
    return {_words(message) for message in messages}


DJANGO_DEFAULTS = _django_defaults()


def _build(name: str) -> list[forms.BaseForm]:
    built = BUILDERS.get(name, lambda: FORMS[name]())()
    return built if isinstance(built, list) else [built]


def _model_field(form: forms.BaseForm, name: str):
    if not isinstance(form, BaseModelForm):
        return None
    try:
        return form._meta.model._meta.get_field(name)
    except Exception:  # A form field that is not a model field.
        return None


def _shown(form: forms.BaseForm, name: str, field: forms.Field) -> dict[str, str]:
    """Every message this field can show, by error code, in the words it would use."""
    if field.disabled:
        return {}
    shown = dict(field.error_messages)
    for validator in field.validators:
        if code := getattr(validator, "code", None):
            shown.setdefault(code, validator.message)
    if model_field := _model_field(form, name):
        # The model's checks run after the form's; the form field's words replace theirs.
        for validator in model_field.validators:
            if code := getattr(validator, "code", None):
                shown.setdefault(code, validator.message)
        if model_field.unique:
            shown.setdefault("unique", model_field.error_messages["unique"])
    if not field.required:
        shown.pop("required", None)
    return {code: _words(message) for code, message in shown.items()}


def _defaults_in(name: str) -> list[str]:
    found = []
    for form in _build(name):
        for code, message in getattr(form, "error_messages", {}).items():
            if _words(message) in DJANGO_DEFAULTS:
                found.append(f"{name} (form) {code}")
        for field_name, field in form.fields.items():
            boxes = [(field_name, field)]
            if isinstance(field, forms.MultiValueField):
                boxes += [(f"{field_name}_{i}", box) for i, box in enumerate(field.fields)]
            for box_name, box in boxes:
                for code, message in _shown(form, box_name, box).items():
                    if not message.strip() or message in DJANGO_DEFAULTS:
                        found.append(f"{name} {box_name} {code}")
    return sorted(set(found))


DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField, DateInputField)
DATE_WIDGETS = (
    forms.DateInput,
    forms.DateTimeInput,
    forms.SelectDateWidget,
    forms.SplitDateTimeWidget,
    DateInputWidget,
)


def test_the_walk_finds_the_forms_of_every_app():
    modules = {name.split(".")[0] for name in FORMS}
    assert modules == set(APPS)
    for name in ("cases.forms.DecisionForm", "reports.forms.ReportForm"):
        assert name in FORMS
    assert set(BUILDERS) <= set(FORMS), "a builder for a form that no longer exists"


@pytest.mark.parametrize("name", FORMS)
def test_every_date_field_is_the_projects_gov_uk_date_field(name):
    wrong = [
        field_name
        for form in _build(name)
        for field_name, field in form.fields.items()
        if (isinstance(field, DATE_FIELDS) or isinstance(field.widget, DATE_WIDGETS))
        and not isinstance(field, GovukDateField)
    ]
    assert not wrong, f"{name}: use brunswick.forms.GovukDateField for {wrong}"


@pytest.mark.parametrize("name", FORMS)
def test_no_message_a_form_can_show_is_in_djangos_default_words(name):
    found = list(_defaults_in(name))
    assert not found, (
        "messages in Django's default words (name the field, in GOV.UK words: "
        "brunswick.forms.govuk_messages):\n" + "\n".join(found)
    )


@pytest.mark.parametrize("name", [name for name in FORMS if name not in OWN_SUMMARY])
def test_every_form_has_the_helper_the_error_summary_reads(name):
    for form in _build(name):
        helper = getattr(form, "helper", None)
        assert helper is not None and helper.form_show_errors, (
            f"{name}: no error summary without form.helper (brunswick.forms.GovukForm)"
        )


@pytest.mark.parametrize("name", FORMS)
def test_a_form_with_a_hidden_field_puts_its_errors_at_the_top(name):
    """crispy-forms-gds lists visible fields only: without ErrorSummaryMixin a tampered
    hidden field would show "There is a problem" and nothing under it."""
    for form in _build(name):
        hidden = [field_name for field_name, field in form.fields.items() if field.widget.is_hidden]
        assert not hidden or isinstance(form, ErrorSummaryMixin), (
            f"{name}: errors of {hidden} would not be shown (brunswick.forms.GovukForm)"
        )
