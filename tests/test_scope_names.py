"""Each pack of a --by run can name its own place: the scope is a figure like any other."""

from __future__ import annotations

import pytest
from conftest import CONFIG

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare, scope_names
from builder.narrative.context import build_context
from builder.narrative.placeholders import environment

SENTENCE = "{{ scope.described }} recorded {{ all_crime.last_12 | number }} crimes{% if scope.local %} in {{ scope.parent }}{% endif %}."


@pytest.fixture(scope="module")
def by_npt():
    return prepare(read_inputs(CONFIG), by="npt")


def test_the_whole_force_is_named_by_the_cover(by_npt) -> None:
    text = environment().from_string(SENTENCE).render(by_npt.context)
    force = by_npt.loaded.config.cover.force
    assert text == f"{force} recorded {by_npt.figures.all_crime.last_12:,} crimes."


def test_each_npt_pack_names_its_npt_with_its_own_count(by_npt) -> None:
    config = by_npt.loaded.config
    packs = by_npt.computed.packs
    assert len(packs) == len(by_npt.figures.npt.rows) > 1
    for pack in packs:
        context = build_context(config, pack.figures, scope_names(pack.scope))
        text = environment().from_string(SENTENCE).render(context)
        own = by_npt.figures.npt[pack.scope.name].last_12
        assert text == f"{pack.scope.name} NPT recorded {own:,} crimes in {config.cover.force}."
