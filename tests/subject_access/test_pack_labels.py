"""Every personal field the declaration names has a label in the pack: a field declared
and not labelled would otherwise be a KeyError on the day someone's pack is made."""

import pytest

from brunswick.retention.personal_data import PERSONAL
from brunswick.subject_access.pack_rows import LABELS


@pytest.mark.parametrize("model", list(PERSONAL), ids=lambda model: model._meta.label)
def test_every_declared_text_field_has_a_label_in_the_pack(model):
    labels = LABELS.get(model, {})
    assert set(PERSONAL[model].text) - set(labels) == set(), "label these in pack_rows.LABELS"
    assert set(labels) - set(PERSONAL[model].text) == set(), "no longer declared personal"
