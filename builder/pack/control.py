"""The document-control table: which version of the pack this is, and how it got here.

Police documents that go to a public meeting carry a version history after the cover
(version, date, author, change). It is kept in the config (``document_control:``), so
the table is content like any other, written by the Word renderer with the template's
table styles.
"""

from __future__ import annotations

from builder.config.schema import PackConfig
from builder.narrative.helpers import date
from builder.pack.content import Table

COLUMNS = ("Version", "Date", "Author", "Change")


def control_table(config: PackConfig) -> Table | None:
    """The table, or None when the config keeps no document-control rows."""
    rows = config.document_control
    if not rows:
        return None
    return Table(
        caption="Document control",
        columns=COLUMNS,
        rows=tuple((r.version, date(r.date), r.author, r.change) for r in rows),
        numeric=(False, False, False, False),
        description=f"The versions of this pack, oldest first; this is version {config.cover.version} "
        f"({config.cover.status}).",
    )
