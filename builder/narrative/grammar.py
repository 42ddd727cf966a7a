"""Small English grammar the narrative helpers need: singular nouns, plural titles, counts in words.

The pack's phrases are written from data, so they must agree with whatever the data
say: "1 crime" not "1 crimes", "Drug offences have" not "has". The nouns involved are a
short, known set (crimes, offences, robberies, districts, Neighbourhood Policing Teams),
so a few regular rules do the work of a general inflection library.
"""

from __future__ import annotations

import re

IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child"}
"""Plurals that no rule below turns back into their singular."""

UNCOUNTABLE = frozenset({"police", "news", "series", "species", "data", "crime", "theft", "violence", "disorder"})
"""Words whose singular and plural look the same, or that the pack never counts one by one."""

PREPOSITIONS = frozenset({"of", "from", "against", "by", "with", "in", "on", "for", "to", "at", "within"})
"""Where the head of a title like "Theft of Motor Vehicles" ends: the noun before is the one that agrees."""

SMALL_NUMBERS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
"""Counts written as words, as style guides ask; larger ones are numerals."""


def words(value: int) -> str:
    """Small counts as words: 3 -> 'three', 0 -> 'none', 12 -> '12'."""
    return SMALL_NUMBERS[value] if 0 <= value < len(SMALL_NUMBERS) else f"{value:,}"


def singular(noun: str) -> str:
    """The singular of a plural noun phrase, by its last word: 'robberies' -> 'robbery'.

    'Neighbourhood Policing Teams' -> 'Neighbourhood Policing Team'; a noun that is not
    a regular plural is returned as it is.
    """
    head, _, last = noun.rpartition(" ")
    return f"{head} {_singular_word(last)}" if head else _singular_word(last)


def _singular_word(word: str) -> str:
    lower = word.lower()
    if lower in IRREGULAR:
        return _same_case(IRREGULAR[lower], word)
    if lower in UNCOUNTABLE or not is_plural_word(word):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if re.search(r"(ss|sh|ch|x|z)es$", lower):
        return word[:-2]
    return word[:-1]


def _same_case(new: str, old: str) -> str:
    return new.capitalize() if old[:1].isupper() else new


def is_plural_word(word: str) -> bool:
    """Whether an English noun looks plural: 'offences', 'Drugs' yes; 'Business', 'analysis', 'Theft' no."""
    lower = word.lower().strip(".,;:")
    if lower in IRREGULAR:
        return True
    if lower in UNCOUNTABLE or len(lower) < 3:
        return False
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ics", "ous"))


def is_plural(title: str) -> bool:
    """Whether a title is a plural subject: 'Drug offences' yes; 'Theft of Motor Vehicles', 'Robbery' no.

    The word that agrees with the verb is the last one before the first preposition
    ("Theft" in "Theft of Motor Vehicles"), or the last word of a title without one.
    """
    head: list[str] = []
    for word in title.split():
        if word.lower() in PREPOSITIONS:
            break
        head.append(word)
    return bool(head) and is_plural_word(head[-1])


def noun_for(count: float, plural_noun: str) -> str:
    """The noun that agrees with ``count``: (1, 'crimes') -> 'crime', (2, 'crimes') -> 'crimes'."""
    return singular(plural_noun) if count == 1 else plural_noun


def capitalize_first(text: str) -> str:
    """Upper-case the first character if it is a letter, unlike str.capitalize, so names keep their capitals."""
    stripped = text.lstrip()
    index = len(text) - len(stripped)
    return text[:index] + stripped[:1].upper() + stripped[1:]
