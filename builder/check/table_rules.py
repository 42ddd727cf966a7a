"""Rules on data tables: a marked header row, a regular grid, and a title.

A screen reader reads each cell against its column header, so the first row must be
marked as the header (``w:tblHeader``, which also repeats it on each printed page),
and every row must have one cell per column: merged or split cells break the
reading order and the header association. A table title (``w:tblCaption``) is the
table's alt text, read before the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from builder.check.ooxml import DocxPackage, Para, is_on, paragraph_text, snippet, w, wattr
from builder.check.report import Problem, RuleResult, counted


@dataclass
class _Table:
    """A table with a readable label: its title, else the caption before it, else its text."""

    element: etree._Element
    where: str

    @property
    def rows(self) -> list[etree._Element]:
        """The table's own rows (not those of tables nested in its cells)."""
        return self.element.findall(w("tr"))


def check_table_headers(pkg: DocxPackage) -> RuleResult:
    """The first row of every table is marked as a header row that repeats on each page."""
    tables = _tables(pkg)
    problems = [
        Problem("table-header-row", t.where, "the first row is not marked as a header row "
                "(Table Properties > Row > 'Repeat as header row at the top of each page')")
        for t in tables if t.rows and not is_on(t.rows[0].find(f"{w('trPr')}/{w('tblHeader')}"))
    ]
    return RuleResult("table-header-row", "tables have a marked, repeating header row", counted(len(tables), "table"),
                      problems)


def check_table_cells(pkg: DocxPackage) -> RuleResult:
    """No merged cells (across or down), no split cells, no tables inside cells."""
    tables = _tables(pkg)
    problems = [Problem("table-cells", t.where, message) for t in tables for message in _cell_problems(t)]
    return RuleResult("table-cells", "tables have no merged or split cells", counted(len(tables), "table"), problems)


def check_table_titles(pkg: DocxPackage) -> RuleResult:
    """Every table has a title (its alt text), so it can be found and announced."""
    tables = _tables(pkg)
    problems = [
        Problem("table-title", t.where, "the table has no title: set Table Properties > Alt Text > Title")
        for t in tables if not (wattr(t.element.find(f"{w('tblPr')}/{w('tblCaption')}")) or "").strip()
    ]
    return RuleResult("table-title", "tables have a title (alt text)", counted(len(tables), "table"), problems)


def _tables(pkg: DocxPackage) -> list[_Table]:
    """Every table in every part, labelled for the report."""
    owners = {id(p.element): p for p in pkg.all_paragraphs()}
    found = []
    for part in pkg.parts:
        for number, tbl in enumerate(part.root.iter(w("tbl")), start=1):
            found.append(_Table(tbl, _label(tbl, number, part.label, owners)))
    return found


def _label(tbl: etree._Element, number: int, part: str, owners: dict[int, Para]) -> str:
    title = wattr(tbl.find(f"{w('tblPr')}/{w('tblCaption')}")) or _caption_before(tbl)
    first_paragraph = next(tbl.iter(w("p")), None)
    para = owners.get(id(first_paragraph)) if first_paragraph is not None else None
    place = para.where if para is not None else part
    return f"{place}, table {number}" + (f" {snippet(title, 50)}" if title else "")


def _caption_before(tbl: etree._Element) -> str:
    previous = tbl.getprevious()
    return paragraph_text(previous) if previous is not None and previous.tag == w("p") else ""


def _cell_problems(table: _Table) -> list[str]:
    """What is wrong with the grid of one table, one message per kind of fault."""
    columns = len(table.element.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    spans, down, uneven = [], [], []
    for index, row in enumerate(table.rows, start=1):
        cells = row.findall(w("tc"))
        width = 0
        for cell in cells:
            span = _span(cell)
            width += span
            if span > 1 or cell.find(f"{w('tcPr')}/{w('hMerge')}") is not None:
                spans.append(index)
            if cell.find(f"{w('tcPr')}/{w('vMerge')}") is not None:
                down.append(index)
        width += sum(_grid_skip(row, side) for side in ("gridBefore", "gridAfter"))
        if columns and (width != columns or _grid_skip(row, "gridBefore") or _grid_skip(row, "gridAfter")):
            uneven.append(index)
    out = []
    if spans:
        out.append(f"merged cells across columns in {_rows(spans)}: give every column its own cell")
    if down:
        out.append(f"merged cells down rows in {_rows(down)}: repeat the value in each row instead")
    if uneven:
        out.append(f"split or missing cells in {_rows(uneven)}: every row needs one cell per column "
                   f"({columns})")
    if any(True for cell in table.element.iter(w("tc")) if cell.find(f".//{w('tbl')}") is not None):
        out.append("a table inside a cell: split it into separate tables")
    return out


def _span(cell: etree._Element) -> int:
    try:
        return max(1, int(wattr(cell.find(f"{w('tcPr')}/{w('gridSpan')}")) or 1))
    except ValueError:
        return 1


def _grid_skip(row: etree._Element, side: str) -> int:
    try:
        return int(wattr(row.find(f"{w('trPr')}/{w(side)}")) or 0)
    except ValueError:
        return 0


def _rows(indices: list[int]) -> str:
    unique = sorted(set(indices))
    shown = ", ".join(str(i) for i in unique[:8])
    more = f" and {len(unique) - 8} more" if len(unique) > 8 else ""
    return f"row{'s' if len(unique) > 1 else ''} {shown}{more}"
