"""The charts: accessible SVG that the Content Security Policy lets through."""

import re
from pathlib import Path

from django.conf import settings

from insight.charts import COLOURS, chart_stylesheet, chart_svg
from insight.figures import Row, Table, number


def a_table(chart="horizontal", columns=("Reports",), rows=None) -> Table:
    rows = rows or (Row("Year 1", (number(3),)), Row("Year 2", (number(0),)))
    return Table("groups", "Groups", "The groups named most.", "Group", columns, rows, chart=chart)


def test_a_chart_is_an_image_labelled_by_its_title_and_description():
    svg = str(chart_svg(a_table()))
    assert re.search(r'<svg[^>]* role="img"', svg)
    assert 'aria-labelledby="chart-groups-title chart-groups-desc"' in svg
    assert '<title id="chart-groups-title">Groups</title>' in svg
    assert '<desc id="chart-groups-desc">The groups named most.</desc>' in svg
    assert ">Year 1<" in svg and ">Reports<" in svg  # Labelled axis and categories.


def test_a_chart_has_no_script_no_style_and_no_duplicate_ids():
    stacked = a_table(
        "stacked",
        ("Reports", "Anger", "Threats"),
        (Row("Week 1", (number(3), number(2), number(1))),),
    )
    for svg in (str(chart_svg(a_table())), str(chart_svg(stacked))):
        assert "<script" not in svg and "<style" not in svg and "style=" not in svg
        ids = re.findall(r' id="([^"]+)"', svg)
        assert len(ids) == len(set(ids))
        assert not [i for i in ids if i.startswith("activate-serie")]


def test_a_stacked_chart_gives_each_series_a_pattern():
    stacked = a_table("stacked", ("Reports", "Anger"), (Row("Week 1", (number(3), number(2))),))
    svg = str(chart_svg(stacked))
    assert 'id="bp-pattern-1"' in svg and "bp-chart--patterned" in svg


def test_an_empty_table_draws_no_chart():
    empty = a_table(rows=(Row("Year 1", (number(0),)),))
    assert chart_svg(empty) == ""


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_colour_has_3_to_1_contrast_on_white():
    for colour in COLOURS:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour


def test_the_static_stylesheet_is_the_one_pygal_would_write():
    on_disk = (Path(settings.BASE_DIR) / "static" / "css" / "insight.css").read_text()
    assert on_disk == chart_stylesheet(), "run: uv run python manage.py insight_stylesheet"
