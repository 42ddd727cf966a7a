"""Deterministic synthetic sample data that reproduces the 2018 example pack.

``generate`` writes crimes, drug-related ASB and peer figures; ``ensure_sample``
returns a cached Parquet copy, generating it on first use.
"""

from builder.sample.generator import (
    GENERATOR_VERSION,
    ensure_sample,
    generate,
)
from builder.sample.reference import SAMPLE_FORCE, SAMPLE_POPULATION

__all__ = [
    "GENERATOR_VERSION",
    "SAMPLE_FORCE",
    "SAMPLE_POPULATION",
    "ensure_sample",
    "generate",
]
