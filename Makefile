# Two commands: `make pack` sets up and builds the sample pack; `make test` runs the tests.
.PHONY: pack test setup bench

setup:
	@bash scripts/setup.sh

pack: setup
	.venv/bin/perfpack build

test: setup
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python benchmarks/bench_build.py
