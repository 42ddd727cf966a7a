"""File names of --by packs: safe in any script, and never two packs on one name."""

from __future__ import annotations

import pytest

from builder.build.scopes import MAX_SLUG_BYTES, distinct_stems, slug
from builder.errors import DataError


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("SOT North", "sot-north"),
        ("Newcastle-under-Lyme", "newcastle-under-lyme"),
        ("Ynys Môn", "ynys-mon"),
        ("北区", "北区"),
        ("Ｆｕｌｌ width", "full-width"),
        ("../../etc/passwd", "etc-passwd"),
        ("  ", "blank"),
    ],
)
def test_slug_keeps_letters_of_any_script_and_nothing_a_path_could_use(label, expected):
    assert slug(label) == expected


def test_a_long_label_is_cut_to_a_file_name_any_file_system_takes():
    assert len(slug("北" * 500).encode()) <= MAX_SLUG_BYTES
    assert len(slug("x" * 500)) == MAX_SLUG_BYTES


def test_labels_with_distinct_names_get_distinct_files():
    stems = distinct_stems("pack", ["北区", "南区", "Stafford", "Stoke-on-Trent"], "npt")
    assert len(set(stems.values())) == 4


@pytest.mark.parametrize(("first", "second"), [("Stafford", "Stafford!"), ("North", "north"), ("A B", "A-B")])
def test_two_labels_on_one_file_name_stop_the_build_naming_both(first, second):
    with pytest.raises(DataError, match=f"--by npt: '{first}' and '{second}' would both be written as pack-"):
        distinct_stems("pack", [first, second], "npt")
