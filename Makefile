# Two commands: `make pack` sets up and builds the sample pack; `make test` runs the checks and the tests.
.PHONY: pack test lint setup bench

setup:
	@bash scripts/setup.sh

pack: setup
	.venv/bin/perfpack build

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

test: lint
	.venv/bin/python -m pytest -n auto --dist loadfile

bench: setup
	.venv/bin/python benchmarks/bench_build.py
