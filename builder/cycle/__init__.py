"""The monthly (or quarterly) cycle: the next pack from the last, what changed, stale narrative.

A pack is made every cycle from the last one. ``dates`` moves meeting dates by the rule
they followed, ``advance`` moves a config on one step, ``snapshot`` is the machine copy
of a built pack's figures, ``compare`` and ``report`` say what changed between two
built packs, and ``baseline`` and ``stale`` flag narrative left unchanged while its
figures moved.
"""
