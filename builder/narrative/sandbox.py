"""Jinja's sandbox with budgets: what the narrative and the Word template are both rendered in.

Narrative and templates are text an author (or anyone who can edit a file) writes, so
they are treated as untrusted code. Jinja's ``ImmutableSandboxedEnvironment`` already
stops ``{{ ''.__class__.__mro__ }}``-style escapes and changes to lists and dicts;
what it does not stop is a few characters that take minutes or gigabytes:
``{{ 'x' * 10**10 }}``, ``{{ 9**9**9 }}``, a loop that doubles a string, ``'%9999999999d'``.
So this environment also

* bounds every value it makes (``*``, ``**``, ``%``, ``+`` and ``~``, ``range()``, the
  filters and the string methods that grow text) before making it: nothing it builds may
  exceed ``MAX_TEXT`` characters or items, nor an integer ``MAX_INT_BITS`` bits;
* caps what one render may write (``max_output``);
* gives each render a time budget: an interval timer interrupts a render that runs too
  long in the main thread, and every attribute, call and operator checks the clock, so a
  render in any other thread stops too.

Exceeding any of them raises ``BudgetExceeded``, whose message says what to change.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

MAX_TEXT = 100_000
"""Characters (or items) any value made while rendering, and one field's text, may have."""
MAX_RANGE = 10_000
"""Items ``range()`` may give: a pack's narrative loops over a few dozen rows at most."""
MAX_INT_BITS = 4096
"""Bits an integer made by arithmetic may have (about 1,200 digits)."""
TIME_BUDGET = 2.0
"""Seconds one narrative field may take to fill."""

_FORMAT_NUMBER = re.compile(r"\d+")
_NESTED_FIELD = re.compile(r"\{[^{}]*\{")


class BudgetExceeded(Exception):
    """A render went over one of its limits; the message says which and what to do."""


class _Clock(threading.local):
    """The deadline of the render running in this thread (None: no render running)."""

    deadline: float | None = None
    seconds: float = TIME_BUDGET


_clock = _Clock()


def check_clock() -> None:
    """Stop the render running in this thread once its time is up."""
    deadline = _clock.deadline
    if deadline is not None and time.monotonic() > deadline:
        raise _timeout()


def _timeout() -> BudgetExceeded:
    return BudgetExceeded(
        f"took longer than {_clock.seconds:g} s to fill (a loop that never ends, or too much work); simplify it"
    )


@contextmanager
def time_budget(seconds: float = TIME_BUDGET) -> Iterator[None]:
    """Run the block with a deadline: BudgetExceeded once ``seconds`` have passed.

    In the main thread an interval timer interrupts even a loop that touches nothing the
    sandbox sees; elsewhere the sandbox's own checks (every attribute, call, operator and
    ``range`` step) stop it.
    """
    outer = _clock.deadline
    _clock.deadline, _clock.seconds = time.monotonic() + seconds, seconds
    timer = _start_timer(seconds) if outer is None else None
    try:
        yield
    finally:
        _clock.deadline = outer
        if timer is not None:
            _stop_timer(timer)


def _start_timer(seconds: float) -> Any:
    """Arm SIGALRM for ``seconds`` when this is the main thread; returns what to restore."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return None
    if signal.getitimer(signal.ITIMER_REAL)[0]:
        return None  # someone else's timer is running: leave it alone

    def interrupt(signum: int, frame: Any) -> None:
        if _clock.deadline is not None:
            raise _timeout()

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds + 0.05)  # the sandbox's own checks usually fire first
    return previous


def _stop_timer(previous: Any) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- sizes


def _too_big(what: str) -> BudgetExceeded:
    return BudgetExceeded(f"{what} would be longer than {MAX_TEXT:,} characters; shorten it")


def _length(value: Any) -> int:
    """How many characters or items a value holds (0 for a value that is not a collection)."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    return 0


def _check_size(value: Any, what: str = "the text", limit: int = MAX_TEXT) -> Any:
    if _length(value) > limit:
        raise _too_big(what)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise BudgetExceeded(f"a number with more than {MAX_INT_BITS:,} bits; use figures of a sensible size")
    return value


def _check_count(value: Any, what: str) -> None:
    """An argument that sets a size (a width, a count, a precision) must be within bounds."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise BudgetExceeded(f"{what} {value:,} is more than {MAX_TEXT:,}; use a smaller number")


def _check_format(text: str) -> None:
    """A %-format or str.format string may not ask for a width or precision beyond the bound.

    Widths taken from the arguments (``%*d``, ``{:{}}``) are refused outright: narrative
    has no need of them and they would escape the check.
    """
    if ("*" in text and "%" in text) or _NESTED_FIELD.search(text):
        raise BudgetExceeded("a format whose width comes from its arguments; write the width as a number")
    for number in _FORMAT_NUMBER.findall(text):
        if len(number) > 6 or int(number) > MAX_TEXT:
            raise BudgetExceeded(f"a format width of {number}; use a width of at most {MAX_TEXT:,}")


def _repeat(left: Any, right: Any) -> Any:
    """``*`` of a sequence and a count, or of two numbers, bounded before it is made."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(count, int) and _length(seq):
            if len(seq) * max(count, 0) > MAX_TEXT:
                raise _too_big("the repeated text")
            return left * right
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise BudgetExceeded(f"a product with more than {MAX_INT_BITS:,} bits; use figures of a sensible size")
    return left * right


def _power(left: Any, right: Any) -> Any:
    """``**`` bounded by the size of its result, estimated before it is computed."""
    growing = isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
    if growing and right * left.bit_length() > MAX_INT_BITS:
        raise BudgetExceeded(f"a power with more than {MAX_INT_BITS:,} bits; use figures of a sensible size")
    return left**right


def _modulo(left: Any, right: Any) -> Any:
    """``%``: a format string's widths are bounded; numbers are left alone."""
    if isinstance(left, str):
        _check_format(left)
        return _check_size(left % right)
    return left % right


def _plus(left: Any, right: Any) -> Any:
    if _length(left) + _length(right) > MAX_TEXT:
        raise _too_big("the joined text")
    return _check_size(left + right)


BINOPS: dict[str, Callable[[Any, Any], Any]] = {"*": _repeat, "**": _power, "%": _modulo, "+": _plus}


def _total(items: Sequence[Any]) -> int:
    return sum(_length(i) if _length(i) else len(str(i)) for i in items)


SIZE_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
"""String methods whose number arguments are sizes (a width, a tab size)."""
SIZE_FILTERS = frozenset(
    {"center", "indent", "wordwrap", "truncate", "batch", "slice", "number", "pct", "abs_pct", "signed"}
)
"""Filters whose number arguments are sizes (a width, a count, decimal places); other filters' numbers are values."""


def _method_growth(name: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string method call whose result would be over the bound, before it is made.

    ``obj`` is the string or sequence the method belongs to. Only the methods that can
    make their result much larger than their inputs are looked at; every result is
    checked again once made.
    """
    values = [*args, *kwargs.values()]
    if name in SIZE_METHODS:
        for value in values:
            _check_count(value, f"{name}()")
    if name == "replace" and isinstance(obj, str) and len(values) >= 2:
        _check_replace(obj, str(values[0]), str(values[1]))
    elif name == "join" and isinstance(obj, str) and values and not isinstance(values[0], str):
        items = values[0] if isinstance(values[0], Sequence) else list(values[0])
        _check_join(items, obj)
    elif name == "expandtabs" and isinstance(obj, str) and values and isinstance(values[0], int):
        _check_expand(obj, values[0])


def _check_expand(text: str, tabsize: int) -> None:
    if len(text) + text.count("\t") * abs(tabsize) > MAX_TEXT:
        raise _too_big("the text")


def _check_replace(text: str, old: str, new: str) -> None:
    grown = (len(text) + 1) * len(new) if not old else text.count(old) * max(len(new) - len(old), 0)
    if len(text) + grown > MAX_TEXT:
        raise _too_big("the replaced text")


def _check_join(items: Sequence[Any], separator: str) -> None:
    if _total(items) + len(separator) * len(items) > MAX_TEXT:
        raise _too_big("the joined text")


def _bounded_filter(name: str, function: Callable[..., Any], env: BoundedSandbox) -> Callable[..., Any]:
    """A Jinja filter (or one of perfpack's helpers) with its sizes checked before and its result after.

    The result may have up to ``env.max_value`` characters (a web page's sections are long).
    """
    passes = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_clock()
        value, params = (args[1], args[2:]) if passes and len(args) > 1 else (args[0] if args else None, args[1:])
        _filter_growth(name, value, params, kwargs)
        return _check_size(function(*args, **kwargs), f"the result of the {name} filter", env.max_value)

    return bounded


def _filter_growth(name: str, value: Any, params: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The filters that can make much more than they are given, bounded by their arguments."""
    if name in SIZE_FILTERS:
        for param in [*params, *kwargs.values()]:
            _check_count(param, f"{name}()")
    if name == "replace" and isinstance(value, str) and len(params) >= 2:
        _check_replace(value, str(params[0]), str(params[1]))
    elif name == "join" and isinstance(value, Sequence) and not isinstance(value, str):
        _check_join(value, str(params[0]) if params else str(kwargs.get("d", "")))
    elif name == "indent":
        width = params[0] if params else kwargs.get("width", 4)
        width = len(width) if isinstance(width, str) else int(width)
        if isinstance(value, str) and len(value) + (value.count("\n") + 1) * width > MAX_TEXT:
            raise _too_big("the indented text")
    elif name == "wordwrap":
        wrapstring = str(params[2] if len(params) > 2 else kwargs.get("wrapstring") or "\n")
        if isinstance(value, str) and len(value) * (1 + len(wrapstring)) > MAX_TEXT:
            raise _too_big("the wrapped text")
    elif name == "format" and isinstance(value, str):
        _check_format(value)
    elif name == "sum" and isinstance(value, Sequence) and _total(value) > MAX_TEXT:
        raise _too_big("the sum")


class _BoundedRange(Sequence[int]):
    """``range()`` of at most MAX_RANGE items, checking the clock as it is walked."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise BudgetExceeded(f"range() of {len(self._range):,} numbers; use at most {MAX_RANGE:,}")

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __iter__(self) -> Iterator[int]:
        for number in self._range:
            check_clock()
            yield number

    def __repr__(self) -> str:
        return repr(self._range)


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` joining through the environment, which bounds it."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """``a ~ b`` becomes ``environment.bounded_concat((a, b), autoescape)``."""
        self.write("environment.bounded_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("), context.eval_ctx.autoescape)")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every size bounded and a clock on every step.

    ``max_output`` caps what one render writes: a narrative field's text, or one part of
    the Word template.
    """

    intercepted_binops = frozenset(BINOPS)
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, *, max_output: int = MAX_TEXT, **options: Any) -> None:
        super().__init__(**options)
        self.max_output = max_output
        self.max_value = MAX_TEXT
        """Characters a call's or a filter's result may have: a web page's macros return whole sections."""
        self.globals["range"] = _BoundedRange
        self.globals.pop("lipsum", None)  # placeholder text, and a way to make megabytes of it
        self.filters = {name: _bounded_filter(name, f, self) for name, f in self.filters.items()}

    def add_filters(self, filters: Mapping[str, Any]) -> None:
        """Add filters (and the same functions as globals, ``number(x)``), bounded like the built-in ones."""
        bounded = {name: _bounded_filter(name, f, self) for name, f in filters.items()}
        self.filters.update(bounded)
        self.globals.update(bounded)

    def concat(self, pieces: Any) -> str:
        """Join a render's output, stopping as soon as it is over ``max_output`` characters."""
        out, size = [], 0
        for piece in pieces:
            size += len(piece)
            if size > self.max_output:
                raise BudgetExceeded(f"writes more than {self.max_output:,} characters; shorten it")
            out.append(piece)
        return "".join(out)

    def bounded_concat(self, parts: tuple[Any, ...], autoescape: bool) -> str:
        """``a ~ b ~ c``, refused before joining when the result would be over the bound."""
        check_clock()
        texts = [(Markup.escape(p) if autoescape else str(p)) for p in parts]
        if sum(len(t) for t in texts) > MAX_TEXT:
            raise _too_big("the joined text")
        return Markup("").join(texts) if autoescape else "".join(texts)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """The bounded form of ``*``, ``**``, ``%`` and ``+``."""
        check_clock()
        return BINOPS[operator](left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` as Jinja sandboxes it, once its widths are known to be within bounds."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookup, checking the clock."""
        check_clock()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookup, checking the clock."""
        check_clock()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from the template: sizes checked before and after, the clock checked."""
        check_clock()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | list | tuple | dict):
            _method_growth(getattr(__obj, "__name__", ""), owner, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return _check_size(result, "the result", __self.max_value)
