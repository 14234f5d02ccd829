"""The filters of the staff inbox. They arrive as GET parameters, from a form or a shared
link: a value that is not one of the choices is a form error with a message, never a 500."""

from datetime import timedelta

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from brunswick.school.models import ClassGroup

from .models import Category, Report

OTHER_GROUP = "other"
ALL_STATUSES = "all"
OLDEST_FIRST = "oldest"
SEARCH_MAX_LENGTH = 200


class Age(models.TextChoices):
    LAST_7_DAYS = "last_7_days", "In the last 7 days"
    LAST_30_DAYS = "last_30_days", "In the last 30 days"
    OLDER = "older_than_30_days", "More than 30 days ago"


AGE_DAYS = {Age.LAST_7_DAYS: 7, Age.LAST_30_DAYS: 30}


class InboxFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # The template holds the GET <form> and its buttons.
        self.helper.attrs = {"novalidate": ""}


def _group_choices() -> list[tuple[str, str]]:
    # Inactive groups too: older reports still name them.
    groups = ClassGroup.objects.order_by("position", "name").values_list("id", "name")
    return [*((str(id_), name) for id_, name in groups), (OTHER_GROUP, "Other or not listed")]


class ReportFilter(django_filters.FilterSet):
    """What SLT and the Head Teacher narrow the inbox by. With no status chosen it shows
    the reports still to deal with: received, or being looked at."""

    q = django_filters.CharFilter(
        label="Search",
        help_text="Part of a reference, the description, or who posted it.",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Search for {SEARCH_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Search must not include hidden characters",
        },
    )
    category = django_filters.ChoiceFilter(
        label="What happened",
        field_name="categories__category",
        choices=Category.choices,
        empty_label="Any",
        error_messages={"invalid_choice": "Select what happened from the list"},
    )
    group = django_filters.ChoiceFilter(
        label="Group",
        method="filter_group",
        choices=[],  # Set per request in __init__: the groups are rows.
        empty_label="Any group",
        error_messages={"invalid_choice": "Select a group from the list"},
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        method="filter_status",
        choices=[*Report.Status.choices, (ALL_STATUSES, "Any status")],
        empty_label="Received or being looked at",
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    age = django_filters.ChoiceFilter(
        label="Received",
        method="filter_age",
        choices=Age.choices,
        empty_label="Any time",
        error_messages={"invalid_choice": "Select when it was received from the list"},
    )
    mine = django_filters.BooleanFilter(
        label="Only reports in cases I lead",
        method="filter_mine",
        widget=forms.CheckboxInput,
    )
    ordering = django_filters.ChoiceFilter(
        label="Order",
        method="filter_ordering",
        choices=[(OLDEST_FIRST, "Oldest first")],
        empty_label="Newest first",
        error_messages={"invalid_choice": "Select an order from the list"},
    )

    class Meta:
        form = InboxFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["group"].extra["choices"] = _group_choices()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Report.Status.CLOSED)
        return queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(description__icontains=value)
            | Q(posted_by__icontains=value)
        )

    def filter_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OTHER_GROUP:
            return queryset.filter(group__isnull=True)
        return queryset.filter(group_id=int(value))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ALL_STATUSES else queryset.filter(status=value)

    def filter_age(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == Age.OLDER:
            return queryset.filter(submitted_at__lt=now - timedelta(days=30))
        return queryset.filter(submitted_at__gte=now - timedelta(days=AGE_DAYS[value]))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(case__lead=self.request.user) if value else queryset

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by("submitted_at", "id")
