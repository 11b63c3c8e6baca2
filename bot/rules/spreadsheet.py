"""CSV a spreadsheet opens safely: UTF-8 with a BOM, and no cell that runs as a formula.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or
a carriage return, some of them do too) as a formula: a contact named `=HYPERLINK(...)`
would run on the seller's computer. Such a cell is written with a leading `'`, which
spreadsheets show as text. Phone numbers in E.164 (`+4791234567`) start with `+` and get it
too: one rule for every cell, so nothing typed can slip past it.

To keep the rule reversible, a cell that already starts with `'` gets one more. Reading our
own export back (or any sheet that neutralised the same way), `restore` undoes it: **a cell
that starts with `'` followed by one of those characters or another `'` loses that one `'`**.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

BOM = "\ufeff"
FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"


def neutralise(cell: str) -> str:
    """The cell as written: with a leading `'` when a spreadsheet would run it (or when it
    starts with `'` itself, so `restore` can tell the two apart)."""
    if cell and (cell[0] in FORMULA_STARTS or cell[0] == QUOTE):
        return QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """The cell as it was before `neutralise`: the importer's half of the rule. Only a `'`
    that `neutralise` could have added goes (one before a formula start or another `'`), so
    a name like "'s-Hertogenbosch" from another program's sheet keeps its own."""
    if len(cell) > 1 and cell[0] == QUOTE and (cell[1] in FORMULA_STARTS or cell[1] == QUOTE):
        return cell[1:]
    return cell


def csv_header(columns: Sequence[str]) -> str:
    """The file's first line: the BOM (so Excel reads UTF-8, æøå and all) and the names."""
    return BOM + _line(columns)


def csv_row(cells: Sequence[str]) -> str:
    """One line of the file, each cell neutralised; line ends are CRLF (RFC 4180, Excel)."""
    return _line([neutralise(cell) for cell in cells])


def _line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()
