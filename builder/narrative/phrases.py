"""The phrases narrative placeholders write: well-formed English for whatever the data say.

Authors are not programmers, yet a sentence about data must hold for every force,
period and NPT: "1 crime", "all 13", "none", "less than 1%", "rose from 2 to 5 crimes"
on a tiny base, a true minus sign, and something sensible to say when nothing rose.
Each filter here writes one such phrase, so narrative needs placeholders and filters
only (``{% if %}`` at most, for optional text). ``FILTERS`` is what authors can use;
``docs/authoring.md`` shows each with an example.

Tables are not prose: they use ``helpers`` (hyphen-minus, which screen readers and
spreadsheets read as a sign) and never these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from builder.config.schema import Wording
from builder.figures.model import NOT_PLACES, ComparisonTable
from builder.figures.rounding import round_half_up
from builder.narrative import helpers
from builder.narrative.grammar import capitalize_first, noun_for, singular, words

MINUS = "\u2212"
"""The minus sign (U+2212): a hyphen is shorter, breaks lines and is read as a dash."""

WORDING = "wording"
"""The context name holding the pack's ``Wording`` settings (``build_context`` puts it there)."""

DEFAULT_WORDING = Wording()


# --- numbers ----------------------------------------------------------------------------------


def number(value: float | None, digits: int = 0) -> str:
    """A number for prose: thousands separators and a true minus sign, '−416'."""
    return helpers.number(value, digits).replace("-", MINUS)


def pct(value: float | None, digits: int = 0) -> str:
    """A percentage for prose: '26%', '−19%', and 'less than 1%' for one that rounds to 0 but is not 0."""
    if value is None:
        return helpers.NOT_AVAILABLE
    if value != 0 and round_half_up(abs(value), digits) == 0:
        return f"less than {helpers.number(10.0**-digits, digits)}%"
    return f"{number(value, digits)}%"


def abs_pct(value: float | None, digits: int = 0) -> str:
    """A percentage without its sign, for sentences that say 'fell by'."""
    return helpers.NOT_AVAILABLE if value is None else pct(abs(value), digits)


def signed(value: float | None, digits: int = 0) -> str:
    """A number with its sign: '+536', '−416', '0'."""
    return helpers.signed(value, digits).replace("-", MINUS)


def count(value: int | None, noun: str = "crimes", in_words: bool = False) -> str:
    """A count and its noun, agreeing: '1 crime', '2,300 crimes', 'no crimes'.

    ``in_words`` writes counts up to ten as words ('eight crime types'), for the start
    of a sentence or a count that is not a figure from the tables.
    """
    if value is None:
        return helpers.NOT_AVAILABLE
    if value == 0:
        return f"no {noun}"
    return f"{words(value) if in_words else number(value)} {noun_for(value, noun)}"


# --- changes ----------------------------------------------------------------------------------


def change_phrase(item: Any, noun: str = "crimes", wording: Wording = DEFAULT_WORDING) -> str:
    """How a count changed: 'rose by 26% or 165 crimes', 'fell from 5 to 1 crime', 'was unchanged at 12 crimes'.

    ``item`` is anything with ``last_12`` and ``previous_12`` (a theme, a table row, all
    crime). A previous count below ``wording.small_base`` gives the two counts, because a
    percentage of a handful says little; a previous count of none gives 'rose from none to…'.
    """
    last, previous = item.last_12, item.previous_12
    if last == previous:
        return f"had {count(0, noun)} in either period" if last == 0 else f"stayed at {count(last, noun)}"
    verb = "rose" if last > previous else "fell"
    if previous == 0:
        return f"{verb} from none to {count(last, noun)}"
    if last == 0:
        return f"{verb} from {count(previous, noun)} to none"
    if previous < wording.small_base:
        return f"{verb} from {number(previous)} to {count(last, noun)}"
    return f"{verb} by {abs_pct(item.change_pct)} or {count(abs(last - previous), noun)}"


def named_change(item: Any, noun: str = "crimes", wording: Wording = DEFAULT_WORDING) -> str:
    """The item's name and its change: 'Business Robbery rose by 12% or 14 crimes'."""
    return f"{_name(item)} {change_phrase(item, noun, wording)}"


def with_change(row: Any, wording: Wording = DEFAULT_WORDING) -> str:
    """A row named with its change in brackets: 'North (35%)', 'Cannock (up from 2 to 5)', 'Tamworth (−20%)'."""
    return f"{_name(row)} ({_short_change(row, wording)})"


def _short_change(row: Any, wording: Wording) -> str:
    last, previous = row.last_12, row.previous_12
    if last == previous:
        return "unchanged"
    way = "up" if last > previous else "down"
    if previous < wording.small_base:
        return f"{way} from {words(previous) if previous == 0 else number(previous)} to {number(last)}"
    return pct(row.change_pct)


def share_of_increase(row: Any) -> str:
    """A rising row's share of the total increase, '55%' or 'less than 1%'; 'none' for a row that did not rise."""
    share = getattr(row, "increase_share_pct", None)
    return "none" if share is None or row.last_12 <= row.previous_12 else pct(share)


# --- how many rose or fell --------------------------------------------------------------------


def quantity(part: int, whole: int, noun: str) -> str:
    """'seven of the 13 districts', 'all 13 districts', 'both districts', 'neither district', 'none of the 13…'.

    ``noun`` is plural ('districts'); the singular is used where English needs it.
    """
    one = singular(noun)
    if whole == 0:
        return f"no {one}"
    if whole == 1:
        return f"the one {one}" if part == 1 else f"no {one}"
    if whole == 2 and part != 1:
        return f"both {noun}" if part == 2 else f"neither {one}"
    if part == whole:
        return f"all {words(whole)} {noun}"
    if part == 0:
        return f"none of the {words(whole)} {noun}"
    return f"{words(part)} of the {words(whole)} {noun}"


def count_rose(table: Any, noun: str = "areas") -> str:
    """How many of a table's places (or categories) rose: 'seven of the ten districts', 'all 13 categories'."""
    rows = _places(table)
    return quantity(sum(1 for r in rows if r.last_12 > r.previous_12), len(rows), noun)


def count_fell(table: Any, noun: str = "areas") -> str:
    """How many of a table's places (or categories) fell: 'three of the ten districts', 'neither district'."""
    rows = _places(table)
    return quantity(sum(1 for r in rows if r.last_12 < r.previous_12), len(rows), noun)


def rose_and_fell(table: Any, noun: str = "areas", rose: str = "rose", fell: str = "fell") -> str:
    """A whole clause: 'seven of the 13 categories rose and six fell', 'all 13 categories rose'.

    ``rose`` and ``fell`` are the verbs ('saw increases', 'saw reductions'); places that
    neither rose nor fell are added as 'and one was unchanged'.
    """
    rows = _places(table)
    whole = len(rows)
    up = sum(1 for r in rows if r.last_12 > r.previous_12)
    down = sum(1 for r in rows if r.last_12 < r.previous_12)
    same = whole - up - down
    if not rows:
        return f"there were no {noun}"
    if up == whole:
        return f"{quantity(up, whole, noun)} {rose}"
    if down == whole:
        return f"{quantity(down, whole, noun)} {fell}"
    if same == whole:
        return f"{quantity(same, whole, noun)} {_were(whole)} unchanged"
    clauses = [f"{quantity(up, whole, noun)} {rose}" if up else f"{quantity(down, whole, noun)} {fell}"]
    if up and down:
        clauses.append(f"{words(down)} {fell}")
    if same:
        clauses.append(f"{words(same)} {_were(same)} unchanged")
    return _and(clauses)


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def largest_rises(table: Any, n: int = 2, noun: str = "areas", wording: Wording = DEFAULT_WORDING) -> str:
    """A clause naming the largest rises: 'the largest rises were in North (35%) and East (20%)'.

    With fewer risers than ``n`` it says so ('the only rise was in North (35%)', 'the rises
    were in…'), and with none, 'no area recorded a rise'. Places only, largest % first.
    """
    rising = [r for r in _places(table) if r.last_12 > r.previous_12]
    return _extremes(rising, n, noun, "rise", wording)


def largest_falls(table: Any, n: int = 2, noun: str = "areas", wording: Wording = DEFAULT_WORDING) -> str:
    """A clause naming the largest falls: 'the largest fall was in Tamworth (−20%)', or 'no area recorded a fall'."""
    falling = [r for r in _places(table) if r.last_12 < r.previous_12][::-1]
    return _extremes(falling, n, noun, "fall", wording)


def _extremes(rows: list[Any], n: int, noun: str, change: str, wording: Wording) -> str:
    if not rows:
        return f"no {singular(noun)} recorded a {change}"
    shown = rows[:n]
    listed = and_list(with_change(r, wording) for r in shown)
    plural = len(shown) > 1
    if len(rows) <= n:
        subject = f"the {change}s" if plural else f"the only {change}"
    else:
        subject = f"the largest {change}s" if plural else f"the largest {change}"
    return f"{subject} {'were' if plural else 'was'} in {listed}"


# --- lists and agreement ----------------------------------------------------------------------


def and_list(items: Iterable[Any], empty: str = "none") -> str:
    """'a', 'a and b', 'a, b and c' (UK style, no serial comma); ``empty`` when there are none."""
    return _and([str(i) for i in items]) or empty


def _and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def pct_list(rows: Iterable[Any], wording: Wording = DEFAULT_WORDING) -> str:
    """Rows as 'North (35%) and East (20%)', each with its change (counts on a tiny base)."""
    return and_list(with_change(row, wording) for row in rows)


def agree(item: Any, singular_form: str, plural_form: str) -> str:
    """The form that agrees with a theme's title: ``{{ drugs | agree("has", "have") }}`` -> 'have'."""
    return plural_form if getattr(item, "plural", False) else singular_form


def capitalize(text: Any) -> str:
    """The first letter upper-cased, the rest left as written (Jinja's own would lower-case names)."""
    return capitalize_first(str(text))


def _name(item: Any) -> str:
    return str(getattr(item, "label", None) or getattr(item, "title", ""))


def _places(table: Any) -> tuple[Any, ...]:
    """The rows a count of places is about: a table's places, or the rows of a plain list."""
    if isinstance(table, ComparisonTable):
        return table.places
    return tuple(r for r in table if getattr(r, "label", None) not in NOT_PLACES)


# --- the filters authors use -------------------------------------------------------------------


def _with_wording(function: Callable[..., str]) -> Callable[..., str]:
    """``function`` as a Jinja filter that reads the pack's ``Wording`` from the context."""

    @pass_context
    def filter_(context: Context, *args: Any, **kwargs: Any) -> str:
        return function(*args, wording=context.get(WORDING) or DEFAULT_WORDING, **kwargs)

    filter_.__doc__ = function.__doc__
    return filter_


FILTERS: dict[str, Callable[..., Any]] = {
    "number": number,
    "pct": pct,
    "abs_pct": abs_pct,
    "signed": signed,
    "count": count,
    "ordinal": helpers.ordinal,
    "rank": helpers.rank,
    "month": helpers.month,
    "date": helpers.date,
    "words": words,
    "change_phrase": _with_wording(change_phrase),
    "named_change": _with_wording(named_change),
    "with_change": _with_wording(with_change),
    "share_of_increase": share_of_increase,
    "count_rose": count_rose,
    "count_fell": count_fell,
    "rose_and_fell": rose_and_fell,
    "largest_rises": _with_wording(largest_rises),
    "largest_falls": _with_wording(largest_falls),
    "and_list": and_list,
    "pct_list": _with_wording(pct_list),
    "agree": agree,
    "capitalize": capitalize,
    "not_from_data": helpers.not_from_data,
}
"""Every filter (and function) narrative may use, by name."""
