"""perfpack."""
