"""Move a pack's config on one cycle: the period, the name, the cover dates, peers, version and status.

The config is edited as round-trip YAML, so comments, quotes and the narrative stay
byte for byte as the author left them; only the values that belong to one meeting
change, and each change is returned so ``perfpack new`` can print it for checking.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder.cycle.dates import add_months, move_by_rule, non_working, parse_rule, working_day_before
from builder.errors import PerfpackError

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3}
DEFAULT_CADENCE = "monthly"
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?!\d)")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


class PeersFileError(PerfpackError):
    """The newer peer file given to ``perfpack new --peers`` cannot be used."""

    exit_code = 2


@dataclass(frozen=True)
class Moved:
    """One value changed for the next cycle, so the author can check it."""

    key: str
    old: str
    new: str
    note: str = ""
    """How it moved, e.g. 'second Friday of the month'."""


@dataclass
class Advanced:
    """What moving a config on changed, and what the author should look at."""

    moved: list[Moved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def cadence_months(raw: CommentedMap) -> int:
    """Months between meetings: the config's ``period.cadence`` (monthly unless it says quarterly)."""
    period = raw.get("period")
    cadence = period.get("cadence") if isinstance(period, CommentedMap) else None
    return CADENCE_MONTHS[str(cadence or DEFAULT_CADENCE)]


def advance(
    raw: CommentedMap, months: int, *, peers: Path | None = None, data_folder: Path | None = None, today: dt.date
) -> Advanced:
    """Move ``raw`` (round-trip YAML) on by ``months``, in place; ``months`` 0 changes nothing.

    ``peers`` is a newer peer file: only then do the peer file and period move, since
    peer figures are published on their own timetable, not the pack's.
    """
    done = Advanced()
    if not months:
        return done
    _replace(raw.get("period"), "end", "period.end", lambda v: shift_months(str(v), months), done)
    _replace(raw, "name", "name", lambda v: shift_months(str(v), months), done)
    cover = raw.get("cover")
    for key in ("meeting_date", "report_date"):
        _move_date(cover, key, months, done)
    _check_order(cover, done)
    if peers is not None:
        _new_peers(raw, peers, data_folder, done)
    _replace(cover, "version", "cover.version", bump_version, done)
    _set(cover, "status", "draft", "cover.status", done)
    _add_control_row(raw, today)
    _clear_reviewed(raw, done)
    return done


def shift_months(text: str, months: int) -> str:
    """Every YYYY-MM in ``text`` moved forward: 'ppm-2018-11' + 3 -> 'ppm-2019-02'."""

    def moved(match: re.Match[str]) -> str:
        day = add_months(dt.date(int(match[1]), int(match[2]), 1), months)
        return f"{day:%Y-%m}"

    return _MONTH.sub(moved, text)


def bump_version(value: Any) -> Any:
    """The next version: 1 -> 2, '1.3' -> '1.4', 'v2' -> 'v3'; text without a number gets ' 2'."""
    if isinstance(value, int):
        return value + 1  # typed as a number in the YAML: kept a number, so no quotes appear
    text = str(value)
    match = _LAST_NUMBER.search(text)
    if match is None:
        return f"{text} 2"
    return f"{text[: match.start()]}{int(match[1]) + 1}{text[match.end() :]}"


_WEEKDAY_NAMED = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
"""A comment naming a weekday was meant as a rule, even if it is not one perfpack reads."""


def _comment(node: CommentedMap, key: str) -> str | None:
    """The end-of-line comment after ``key: value`` as the author wrote it, or None."""
    tokens = node.ca.items.get(key)
    token = tokens[2] if tokens and len(tokens) > 2 else None
    text = getattr(token, "value", None)
    return text.strip() if isinstance(text, str) and text.strip() else None


def _move_date(cover: Any, key: str, months: int, done: Advanced) -> None:
    """A cover date moved by the weekday rule it follows, with a warning if it is not a working day."""
    if not isinstance(cover, CommentedMap) or cover.get(key) in (None, ""):
        return
    old = cover[key]
    day = old if isinstance(old, dt.date) else dt.date.fromisoformat(str(old))
    comment = _comment(cover, key)
    said = parse_rule(comment) if comment is not None else None
    new, rule = move_by_rule(day, months, said)
    cover[key] = new if isinstance(old, dt.date) else new.isoformat()
    if comment is None or said is not None:  # the author's own comment is kept; a rule is kept up to date
        cover.yaml_add_eol_comment(f"# {rule}", key)
    if said is not None and said.in_month(day.year, day.month) != day:
        done.warnings.append(
            f"cover.{key}: {day.isoformat()} is not the {said} its comment says; moved by the comment's "
            f"rule to {new.isoformat()}: check it, and edit the comment if the rule is wrong"
        )
    elif comment is not None and said is None and _WEEKDAY_NAMED.search(comment):
        done.warnings.append(
            f"cover.{key}: the comment '{comment}' is not a rule perfpack reads (it reads, for example, "
            f"'# second Friday of the month' or '# last Monday of the month'); the rule was worked out "
            f"from the date: {rule}"
        )
    done.moved.append(Moved(f"cover.{key}", day.isoformat(), new.isoformat(), str(rule)))
    why = non_working(new)
    if why:
        done.warnings.append(
            f"cover.{key}: {new:%A} {new.day} {new:%B %Y} is {why}; the working day before is "
            f"{working_day_before(new):%A} {working_day_before(new).day} {working_day_before(new):%B %Y}: "
            f"set the date it really is"
        )


def _check_order(cover: Any, done: Advanced) -> None:
    """A report dated on or after its meeting is almost certainly a wrong date."""
    if not isinstance(cover, CommentedMap):
        return
    meeting, report = (_as_date(cover.get(k)) for k in ("meeting_date", "report_date"))
    if meeting and report and report >= meeting:
        done.warnings.append(
            f"cover.report_date {report.isoformat()} is not before the meeting on {meeting.isoformat()}"
        )


def _new_peers(raw: CommentedMap, peers: Path, data_folder: Path | None, done: Advanced) -> None:
    """Point the config at a newer peer file and move the peer period to its latest month."""
    node = raw.get("peers")
    if not isinstance(node, CommentedMap):
        raise PeersFileError(f"--peers {peers}: the config has no peers: section to update; add one first")
    latest = latest_peer_period(peers)
    if latest <= str(node.get("period_end", "")):
        raise PeersFileError(
            f"{peers}: its latest period_end is {latest}, not newer than the pack's {node.get('period_end')}; "
            "give the newer peer file, or leave --peers out to keep the peer period"
        )
    _replace(node, "file", "peers.file", lambda _: _relative_to(peers, data_folder), done)
    _replace(node, "period_end", "peers.period_end", lambda _: latest, done)


def latest_peer_period(path: Path) -> str:
    """The latest ``period_end`` (YYYY-MM) in a peer CSV file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            ends = [str(row.get("period_end") or "")[:7] for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError) as exc:
        raise PeersFileError(f"{path}: cannot be read as a peer CSV file ({exc}); give the newer peers.csv") from None
    ends = [e for e in ends if _MONTH.fullmatch(e)]
    if not ends:
        raise PeersFileError(f"{path}: no period_end column with YYYY-MM months; is this a peer file?")
    return max(ends)


def _relative_to(path: Path, folder: Path | None) -> str:
    """``path`` as the config's ``peers.file`` wants it: relative to the data folder where one is set."""
    if folder is None:
        return path.resolve().as_posix()
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def _add_control_row(raw: CommentedMap, today: dt.date) -> None:
    """A new row in the document-control table for the version this cycle starts."""
    cover = raw.get("cover")
    rows = raw.get("document_control")
    if not isinstance(cover, CommentedMap) or not isinstance(rows, CommentedSeq):
        return
    row = CommentedMap()
    row["version"] = cover.get("version", "")
    row["date"] = today
    row["author"] = str(cover.get("authors", ""))
    meeting = _as_date(cover.get("meeting_date"))
    period = raw.get("period")
    end = period.get("end") if isinstance(period, CommentedMap) else None
    row["change"] = (
        f"Draft for the meeting on {meeting.day} {meeting:%B %Y}" if meeting else "Draft for the next meeting"
    ) + (f", figures to {dt.date.fromisoformat(f'{end}-01'):%B %Y}" if end else "")
    _move_trailing_comment(rows, row)
    rows.append(row)


def _move_trailing_comment(rows: CommentedSeq, row: CommentedMap) -> None:
    """The blank line (or comment) after the table belongs after the new last row, not before it."""
    last = rows[-1] if rows else None
    if isinstance(last, CommentedMap) and last:
        comment = last.ca.items.pop(list(last)[-1], None)
        if comment is not None:
            row.ca.items[list(row)[-1]] = comment


def _clear_reviewed(raw: CommentedMap, done: Advanced) -> None:
    """Last cycle's "reviewed" marks were for last cycle's figures."""
    review = raw.get("review")
    if isinstance(review, CommentedMap) and review.get("reviewed"):
        old = len(review["reviewed"])
        review["reviewed"] = CommentedSeq()
        done.moved.append(Moved("review.reviewed", f"{old} fields", "none"))


def _replace(node: Any, key: str, label: str, change: Callable[[Any], Any], done: Advanced) -> None:
    """Apply ``change`` to node[key] when it is set, recording it when the value differs."""
    if not isinstance(node, CommentedMap) or node.get(key) in (None, ""):
        return
    old = node[key]
    new = change(old)
    if str(new) != str(old):
        node[key] = new
        done.moved.append(Moved(label, str(old), str(new)))


def _set(node: Any, key: str, value: str, label: str, done: Advanced) -> None:
    """Set node[key], adding the key when it is missing, and record a change."""
    if not isinstance(node, CommentedMap):
        return
    old = node.get(key)
    if old != value:
        node[key] = value
        done.moved.append(Moved(label, str(old or "(not set)"), value))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
