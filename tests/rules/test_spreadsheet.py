"""CSV cells a spreadsheet cannot run as a formula, and the importer's way back."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.spreadsheet import FORMULA_STARTS, csv_header, csv_row, neutralise, restore


def test_a_formula_is_written_as_text() -> None:
    assert neutralise('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("\rx") == "'\rx"


def test_a_phone_number_in_e164_is_neutralised_like_any_cell() -> None:
    assert neutralise("+4791234567") == "'+4791234567"
    assert restore("'+4791234567") == "+4791234567"


def test_ordinary_text_is_left_as_typed() -> None:
    for cell in ("Kåre Ørn", "", "12 500", "kari@example.no", "a=b", " =1"):
        assert neutralise(cell) == cell


def test_a_cell_starting_with_a_quote_gets_another_so_restoring_is_exact() -> None:
    assert neutralise("'tis") == "''tis"
    assert restore("''tis") == "'tis"


def test_the_file_starts_with_a_bom_and_rows_end_in_crlf() -> None:
    text = csv_header(["name", "note"]) + csv_row(["Åse", 'says "hi",\nbye'])
    assert text.startswith("\ufeffname,note\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))) == [
        ["name", "note"],
        ["Åse", 'says "hi",\nbye'],
    ]


@given(st.lists(st.text(), min_size=1, max_size=6))
def test_no_exported_cell_can_start_a_formula_and_each_comes_back_as_it_was(
    cells: list[str],
) -> None:
    line = csv_row(cells)
    [read] = list(csv.reader(io.StringIO(line, newline="")))
    assert all(not cell or cell[0] not in FORMULA_STARTS for cell in read)
    assert [restore(cell) for cell in read] == cells
