"""The dashboard's charts: drawn on the server by pygal as inline SVG.

Why pygal: it is a maintained pure-Python library (already a dependency) that writes SVG
on the server, so the charts need no JavaScript in the browser and render in WeasyPrint
too. What it does not do for us, done here:

- The site's Content Security Policy allows no inline scripts or styles. pygal puts a
  <script> (its tooltips) and a <style> in every chart, and a style attribute on the
  tooltip: they are taken out, and its stylesheet is served as a static file
  (static/css/insight.css, written by `manage.py insight_stylesheet`).
- Accessibility: role="img" with aria-labelledby pointing at a <title> and a <desc>;
  colours with at least 3:1 contrast on white; each series of a stacked chart also has a
  pattern, so its key does not rely on colour; every chart has its data table.
"""

from pathlib import Path

import pygal
from pygal.style import Style
from pygal.util import template

from .figures import Table

# GOV.UK Frontend's palette, each at least 3:1 against white (WCAG 1.4.11).
COLOURS = (
    "#1d70b8",  # blue
    "#00703c",  # green
    "#d4351c",  # red
    "#4c2c92",  # purple
    "#505a5f",  # dark grey
    "#b58840",  # brown
    "#d53880",  # pink
    "#003078",  # dark blue
    "#28a197",  # turquoise
    "#912b88",  # bright purple
    "#0b0c0c",  # black
)
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    guide_stroke_color="#b1b4b6",
    major_guide_stroke_color="#505a5f",
    opacity="1",
    opacity_hover="1",
    stroke_opacity="1",
    stroke_opacity_hover="1",
    colors=COLOURS,
    value_colors=("#0b0c0c",) * len(COLOURS),
    font_family=FONT,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=14,
    tooltip_font_size=14,
    no_data_font_size=20,
    transition="0s",
)
PREFIX = ".pygal-chart "  # Every chart's root has this class.
WIDTH = 800

# White marks over each series' colour: the key reads without colour.
_MARKS = (
    "",
    '<path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke="#fff" stroke-width="2"/>',
    '<path d="M-2 6 L2 10 M0 0 L8 8 M6 -2 L10 2" stroke="#fff" stroke-width="2"/>',
    '<path d="M0 4 H8" stroke="#fff" stroke-width="2"/>',
    '<path d="M4 0 V8" stroke="#fff" stroke-width="2"/>',
    '<circle cx="4" cy="4" r="1.8" fill="#fff"/>',
    '<path d="M0 4 H8 M4 0 V8" stroke="#fff" stroke-width="1.5"/>',
    '<path d="M0 0 L8 8 M0 8 L8 0" stroke="#fff" stroke-width="1.5"/>',
    '<rect x="2" y="2" width="4" height="4" fill="#fff"/>',
    '<path d="M0 1.5 H8 M0 5.5 H8" stroke="#fff" stroke-width="1"/>',
    '<circle cx="2" cy="2" r="1.2" fill="#fff"/><circle cx="6" cy="6" r="1.2" fill="#fff"/>',
)
PATTERNS = tuple(
    f'<pattern id="bp-pattern-{n}" width="8" height="8" patternUnits="userSpaceOnUse">'
    f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    for n, (colour, marks) in enumerate(zip(COLOURS, _MARKS, strict=True))
)


def _accessible(key: str, title: str, description: str):
    """An xml_filter for pygal: CSP-safe, labelled, and with ids unique on the page."""

    def apply(root):
        defs = root.find("defs")
        for element in [*defs.findall("style"), *defs.findall("script")]:
            defs.remove(element)
        for parent in root.iter():
            for child in list(parent):
                if "tooltip-overlay" in child.get("class", ""):
                    parent.remove(child)
                elif child.get("id", "").startswith("activate-serie"):
                    del child.attrib["id"]
        root.set("id", f"chart-{key}")
        root.set("class", f"{root.get('class', '')} bp-chart bp-chart--{key}".strip())
        root.set("role", "img")
        root.set("aria-labelledby", f"chart-{key}-title chart-{key}-desc")
        heading = root.find("title")
        heading.text, heading.attrib["id"] = title, f"chart-{key}-title"
        desc = root.makeelement("desc", {"id": f"chart-{key}-desc"})
        desc.text = description
        root.insert(list(root).index(heading) + 1, desc)
        return root

    return apply


def _config(table: Table, **options) -> dict:
    return {
        "style": STYLE,
        "width": WIDTH,
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "truncate_label": -1,
        "truncate_legend": -1,
        **options,
    }


def chart_svg(table: Table) -> str:
    """The table's chart as inline SVG ("" when the table has no chart or no figures).
    pygal escapes every label and value it writes, so the page may include it as it is."""
    if not table.chart or table.is_empty:
        return ""
    chart = _stacked(table) if table.chart == "stacked" else _horizontal(table)
    chart.add_xml_filter(_accessible(table.key, table.title, table.summary))
    return chart.render(is_unicode=True)


def _stacked(table: Table):
    rows = table.chart_rows
    chart = pygal.StackedBar(
        **_config(
            table,
            height=420 + 32 * -(-(len(table.columns) - 1) // 2),  # Two columns of key.
            defs=list(PATTERNS),
            classes=["pygal-chart", "bp-chart--patterned"],
            legend_at_bottom=True,
            legend_at_bottom_columns=2,
            x_title=table.row_heading,
            y_title="Reports, by what they named",
            x_label_rotation=-45 if len(rows) > 8 else 0,
            min_scale=4,
            max_scale=8,
        )
    )
    chart.x_labels = [row.short or row.label for row in rows]
    for index, column in enumerate(table.columns[1:], start=1):
        chart.add(column, [row.cells[index].value or None for row in rows])
    return chart


def _horizontal(table: Table):
    rows = list(reversed(table.chart_rows))  # pygal draws the first row at the bottom.
    chart = pygal.HorizontalBar(
        **_config(
            table,
            height=90 + 44 * len(rows),
            show_legend=False,
            print_values=True,
            print_values_position="top",
            x_title=table.columns[0],
            y_title=table.row_heading,
            min_scale=4,
            max_scale=8,
        )
    )
    chart.x_labels = [row.short or row.label for row in rows]
    formatted = [(row.cells[0].value or 0, row.cells[0].text) for row in rows]
    chart.add(
        table.columns[0],
        [{"value": value, "formatter": _value_text(text)} for value, text in formatted],
    )
    return chart


def _value_text(text: str):
    short = text.split(" (")[0]  # "40% (2 of 5)" reads "40%" on the bar; the table has all.
    return lambda value: short


def chart_stylesheet() -> str:
    """pygal's own stylesheet for STYLE, scoped to the charts, with the patterns and the
    parts of pygal's output the site does not use (tooltips) left out."""
    css_dir = Path(pygal.__file__).parent / "css"
    colours = STYLE.get_colors(PREFIX, len(COLOURS))
    parts = [
        template((css_dir / name).read_text(), style=STYLE, colors=colours, strokes="", id=PREFIX)
        for name in ("base.css", "style.css", "graph.css")
    ]
    patterns = "".join(
        f".bp-chart--patterned .color-{n}, "
        f".bp-chart--patterned .color-{n} .rect {{ fill: url(#bp-pattern-{n}); }}\n"
        for n in range(len(COLOURS))
    )
    extra = (
        f"{PREFIX}{{ display: block; width: 100%; height: auto; }}\n"
        f"{PREFIX}.series .rect {{ stroke: #ffffff; stroke-width: 1; }}\n"
        f"{PREFIX}.text-overlay text.value {{ fill: #0b0c0c; font-weight: 700; }}\n"
        ".bp-table-scroll { overflow-x: auto; }\n"
        ".bp-insight-chart { max-width: 50rem; }\n"
    )
    header = "/* Written by `manage.py insight_stylesheet` from pygal's own: do not edit. */\n"
    return header + "\n".join(parts) + patterns + extra
