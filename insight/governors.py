"""The termly report for governors: the dashboard's figures, anonymised.

No names, no report text, and any count from 1 to 4 (or a share or median that rests on
one) reads "fewer than 5", so no parent can be picked out. The people table keeps only
how many people had more than one case. The PDF goes through the letters' renderer
(letters.rendering.html_to_pdf: it may fetch only the school's static files).
"""

import csv
import io
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import timezone

from letters.rendering import html_to_pdf

from .figures import Cell, Row, Table
from .periods import Period

SMALL = 5
NO_ROWS = {"repeated_people"}  # Tables whose rows name people: their facts only.


def suppressed(cell: Cell) -> Cell:
    if any(0 < n < SMALL for n in cell.counts):
        return replace(cell, text=cell.suppressed_text, value=None)
    return cell


def _anonymised_row(row: Row) -> Row:
    return replace(row, cells=tuple(suppressed(cell) for cell in row.cells))


# The weekly table keeps its totals only: split by category too, nearly every figure would
# be under 5. The categories have their own table.
TOTALS_ONLY = {"reports_received"}


def governors_tables(tables: list[Table]) -> list[Table]:
    """The same tables with small figures hidden, people's rows left out, and the weekly
    table reduced to its totals."""
    tables = [t.first_column_only() if t.key in TOTALS_ONLY else t for t in tables]
    return [
        table.with_rows(
            () if table.key in NO_ROWS else (_anonymised_row(row) for row in table.rows),
            facts=((label, suppressed(cell)) for label, cell in table.facts),
        )
        for table in tables
    ]


def governors_csv(tables: list[Table], period: Period, group_label: str) -> str:
    """One line per figure: section, row, column, value (as the PDF reads it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "row", "column", "value"])
    writer.writerow(["Period", period.label, "", period.dates])
    writer.writerow(["Groups", group_label, "", ""])
    for table in governors_tables(tables):
        for label, cell in table.facts:
            writer.writerow([table.title, label, "", cell.text])
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                writer.writerow([table.title, row.label, column, cell.text])
    return out.getvalue()


def governors_pdf(tables: list[Table], period: Period, group_label: str, school) -> bytes:
    html = render_to_string(
        "insight/pdf/governors.html",
        {
            "tables": governors_tables(tables),
            "period": period,
            "group_label": group_label,
            "school": school,
            "made_on": timezone.localdate(),
            "small": SMALL,
        },
    )
    return html_to_pdf(html)
