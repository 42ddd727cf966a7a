"""Click commands of the ``perfpack`` CLI, one module per command.

Each module exposes a click command object that the main group registers, so
commands can be written and tested on their own without importing the whole
CLI. Commands raise ``builder.errors`` exceptions and let the main group turn
them into one clean line.
"""
