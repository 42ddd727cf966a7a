"""The bounded sandbox: what narrative and templates cannot do, and what they still can."""

from __future__ import annotations

import threading

import pytest
from jinja2.exceptions import SecurityError

from builder.narrative.placeholders import environment, template_environment
from builder.narrative.sandbox import MAX_TEXT, BudgetExceeded, time_budget

HOSTILE = {
    "repeat": "{{ 'x' * 10**10 }}",
    "repeat_list": "{{ [1] * 10**10 }}",
    "power": "{{ 7 ** 1000000000 }}",
    "format_width": "{{ '%999999999d' % 1 }}",
    "format_star": "{{ '%*d' % (999999999, 1) }}",
    "str_format_width": "{{ '{:999999999}'.format(1) }}",
    "str_format_nested": "{{ '{:{}}'.format(1, 999999999) }}",
    "format_filter": "{{ '%999999999s' | format('x') }}",
    "double_concat": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "double_plus": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "double_list": "{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "center_filter": "{{ 'x' | center(10**9) }}",
    "replace_filter": "{{ ('x' * 1000) | replace('x', 'y' * 1000) }}",
    "replace_method": "{{ ('x' * 1000).replace('x', 'y' * 1000) }}",
    "replace_empty": "{{ ('x' * 1000).replace('', 'y' * 1000) }}",
    "join_method": "{{ ('x' * 50000).join(['a'] * 5000) }}",
    "join_filter": "{{ (['a' * 50000] * 5000) | join }}",
    "indent": "{{ ('a\n' * 1000) | indent(99999) }}",
    "wordwrap": "{{ ('a ' * 40000) | wordwrap(1, true, 'x' * 1000) }}",
    "number_digits": "{{ 12345 | number(999999999) }}",
    "range": "{{ range(10**9) | list | length }}",
    "output": "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "time": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "time_list": "{% set x = range(10000) | list %}{% for i in x %}{% for j in x %}{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_refused_within_budget(name):
    with pytest.raises(BudgetExceeded), time_budget(0.5):
        environment().from_string(HOSTILE[name]).render()


@pytest.mark.parametrize(
    "source",
    ["{{ [].pop() }}", "{{ {}.update(a=1) }}", "{{ ''.__class__ }}", "{{ cycler.__init__.__globals__ }}"],
)
def test_changes_and_internals_are_refused(source):
    from jinja2 import UndefinedError

    with pytest.raises((SecurityError, UndefinedError)):
        environment().from_string(source).render()


def test_lipsum_is_gone():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        environment().from_string("{{ lipsum(5) }}").render()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 7 % 3 }} {{ 'n=%d' % 5 }} {{ '{:>4}'.format(3) }}", "ababab 1024 1 n=5    3"),
        (
            "{{ 245752 | number }} {{ 26.03 | pct }} {{ range(3) | list }} {{ 'a' ~ 'b' ~ 1 }}",
            "245,752 26% [0, 1, 2] ab1",
        ),
        ("{% for i in range(3) %}{{ loop.index }}{% endfor %} {{ range(5)[2] }} {{ range(4) | length }}", "123 2 4"),
        ("{{ ['a', 'b'] | join(', ') }} {{ 'a b' | replace(' ', '-') }} {{ 'x' | center(5) }}", "a, b a-b   x  "),
        ("{{ ('x' * 100000) | length }}", "100000"),
    ],
)
def test_ordinary_narrative_still_works(source, expected):
    with time_budget(2):
        assert environment().from_string(source).render() == expected


def test_the_limit_is_exact():
    env = environment()
    assert len(env.from_string("{{ 'x' * n }}").render(n=MAX_TEXT)) == MAX_TEXT
    with pytest.raises(BudgetExceeded):
        env.from_string("{{ 'x' * n }}").render(n=MAX_TEXT + 1)


def test_template_environment_escapes_xml_and_has_the_same_bounds():
    env = template_environment()
    assert env.from_string("{{ a }} {{ a ~ 'b' }}").render(a="R&D <x>") == "R&amp;D &lt;x&gt; R&amp;D &lt;x&gt;b"
    with pytest.raises(BudgetExceeded):
        env.from_string("{{ 'x' * 10**9 }}").render()


def test_the_clock_stops_a_render_in_another_thread():
    """Away from the main thread there is no timer signal: the sandbox's own checks stop the loop."""
    outcome: list[BaseException | None] = []

    def render() -> None:
        try:
            with time_budget(0.3):
                environment().from_string(HOSTILE["time"]).render()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert isinstance(outcome[0], BudgetExceeded)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ d.get('x', 1000000) }}", "1000000"),  # a number that is a value, not a size
        ("{{ missing | default(5000000) }}", "5000000"),
        ("{{ '%d' | format(1234567) }}", "1234567"),
        ("{{ number(1234567) }}", "1,234,567"),
        ("{{ [1, 2] | sum(start=1000000) }}", "1000003"),
    ],
)
def test_large_numbers_that_are_values_are_fine(source, expected):
    assert environment().from_string(source).render(d={}, none=None) == expected


def test_a_helper_called_as_a_function_is_bounded_too():
    with pytest.raises(BudgetExceeded):
        environment().from_string("{{ number(12345, 999999999) }}").render()
