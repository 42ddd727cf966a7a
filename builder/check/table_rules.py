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

from builder.check.ooxml import DocxPackage, Para, child, is_on, paragraph_text, snippet, w, wattr
from builder.check.report import Problem, RuleResult, counted

_TBL, _TR, _TC, _P = w("tbl"), w("tr"), w("tc"), w("p")
_TBLPR, _TRPR, _TCPR = w("tblPr"), w("trPr"), w("tcPr")
_GRID_SPAN, _H_MERGE, _V_MERGE = w("gridSpan"), w("hMerge"), w("vMerge")
"""Tags looked up for every table, row or cell, spelled out once."""


@dataclass
class _Table:
    """A table with a readable label: its title, else the caption before it, else its text."""

    element: etree._Element
    where: str

    @property
    def rows(self) -> list[etree._Element]:
        """The table's own rows (not those of tables nested in its cells)."""
        return list(self.element.iterchildren(_TR))


def check_table_headers(pkg: DocxPackage) -> RuleResult:
    """The first row of every table is marked as a header row that repeats on each page."""
    tables = _tables(pkg)
    problems = [
        Problem(
            "table-header-row",
            t.where,
            "the first row is not marked as a header row "
            "(Table Properties > Row > 'Repeat as header row at the top of each page')",
        )
        for t in tables
        if t.rows and not is_on(child(t.rows[0], _TRPR, w("tblHeader")))
    ]
    return RuleResult(
        "table-header-row", "tables have a marked, repeating header row", counted(len(tables), "table"), problems
    )


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
        for t in tables
        if not (wattr(child(t.element, _TBLPR, w("tblCaption"))) or "").strip()
    ]
    return RuleResult("table-title", "tables have a title (alt text)", counted(len(tables), "table"), problems)


def _tables(pkg: DocxPackage) -> list[_Table]:
    """Every table in every part, labelled for the report (found once for the three table rules)."""
    return pkg.memo("table_rules.tables", _find_tables)


def _find_tables(pkg: DocxPackage) -> list[_Table]:
    owners = {id(p.element): p for p in pkg.all_paragraphs()}
    found = []
    for part in pkg.parts:
        for number, tbl in enumerate(part.root.iter(_TBL), start=1):
            found.append(_Table(tbl, _label(tbl, number, part.label, owners)))
    return found


def _label(tbl: etree._Element, number: int, part: str, owners: dict[int, Para]) -> str:
    title = wattr(child(tbl, _TBLPR, w("tblCaption"))) or _caption_before(tbl)
    first_paragraph = next(tbl.iter(_P), None)
    para = owners.get(id(first_paragraph)) if first_paragraph is not None else None
    place = para.where if para is not None else part
    return f"{place}, table {number}" + (f" {snippet(title, 50)}" if title else "")


def _caption_before(tbl: etree._Element) -> str:
    previous = tbl.getprevious()
    return paragraph_text(previous) if previous is not None and previous.tag == _P else ""


def _cell_problems(table: _Table) -> list[str]:
    """What is wrong with the grid of one table, one message per kind of fault."""
    columns = len(table.element.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    spans, down, uneven = [], [], []
    for index, row in enumerate(table.rows, start=1):
        width = 0
        for cell in row.iterchildren(_TC):
            properties = _cell_properties(cell)
            span = _span(properties)
            width += span
            if span > 1 or _H_MERGE in properties:
                spans.append(index)
            if _V_MERGE in properties:
                down.append(index)
        before, after = _grid_skip(row, "gridBefore"), _grid_skip(row, "gridAfter")
        width += before + after
        if columns and (width != columns or before or after):
            uneven.append(index)
    out = []
    if spans:
        out.append(f"merged cells across columns in {_rows(spans)}: give every column its own cell")
    if down:
        out.append(f"merged cells down rows in {_rows(down)}: repeat the value in each row instead")
    if uneven:
        out.append(f"split or missing cells in {_rows(uneven)}: every row needs one cell per column ({columns})")
    if _has_table_in_a_cell(table.element):
        out.append("a table inside a cell: split it into separate tables")
    return out


def _cell_properties(cell: etree._Element) -> dict[str, etree._Element]:
    """The cell's properties (children of its w:tcPr) by tag, the first of each as ``find('tcPr/…')`` gives.

    Read in one pass: the grid check asks three questions of every cell of every table.
    """
    found: dict[str, etree._Element] = {}
    for properties in cell.iterchildren(_TCPR):
        for item in properties:
            found.setdefault(item.tag, item)
    return found


def _has_table_in_a_cell(table: etree._Element) -> bool:
    """Whether any cell of the table (or of a table within it) holds a table.

    Checked from each table below this one upwards, as there are seldom any, rather
    than by searching below every cell.
    """
    for nested in table.iter(_TBL):
        if nested is table:
            continue
        for ancestor in nested.iterancestors():
            if ancestor is table:
                break
            if ancestor.tag == _TC:
                return True
    return False


def _span(properties: dict[str, etree._Element]) -> int:
    try:
        return max(1, int(wattr(properties.get(_GRID_SPAN)) or 1))
    except ValueError:
        return 1


def _grid_skip(row: etree._Element, side: str) -> int:
    try:
        return int(wattr(child(row, _TRPR, w(side))) or 0)
    except ValueError:
        return 0


def _rows(indices: list[int]) -> str:
    unique = sorted(set(indices))
    shown = ", ".join(str(i) for i in unique[:8])
    more = f" and {len(unique) - 8} more" if len(unique) > 8 else ""
    return f"row{'s' if len(unique) > 1 else ''} {shown}{more}"
