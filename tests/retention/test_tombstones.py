"""Every text field of a purged model is a decision: cleared, or known to hold nothing
personal. A new field fails here until someone decides which."""

import pytest
from django.db import models

from brunswick.retention.tombstones import SPECS


@pytest.mark.parametrize("model", list(SPECS), ids=lambda m: m._meta.label_lower)
def test_every_text_field_is_cleared_or_kept_on_purpose(model):
    spec = SPECS[model]
    text_fields = {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField | models.FileField)
    }
    decided = set(spec.text) | set(spec.blank) | set(spec.files) | set(spec.keep)
    assert text_fields - decided == set(), "decide whether these hold personal details"
    assert decided - text_fields == set(), "no longer fields of the model"
