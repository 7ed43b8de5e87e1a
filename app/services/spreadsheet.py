"""Excel workbooks of several sheets whose text never runs as a formula.

A post's text, a person's name or a campaign's name may start with ``=``, ``+``, ``-`` or
``@``: a spreadsheet would run it (formula injection). Every text cell here is written as a
string cell, so Excel shows it as it is; characters that XML cannot hold are dropped.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

MAX_TITLE = 31  # Excel's limit on a sheet's name
_FORBIDDEN_IN_TITLE = str.maketrans({c: " " for c in "[]:*?/\\"})


def workbook(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """Return a workbook of ``(title, rows)`` sheets; each sheet's first row is bold.

    >>> from openpyxl import load_workbook
    >>> book = load_workbook(io.BytesIO(workbook([("Sheet", [["name"], ["=1+1"], [2]])])))
    >>> [cell.value for (cell,) in book["Sheet"].iter_rows()]
    ['name', '=1+1', 2]
    >>> book["Sheet"]["A2"].data_type
    's'
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = book.create_sheet(str(title).translate(_FORBIDDEN_IN_TITLE)[:MAX_TITLE])
        for number, values in enumerate(rows):
            cells = []
            for value in values:
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                else:
                    cell = WriteOnlyCell(sheet, value)
                if number == 0:
                    cell.font = bold
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
