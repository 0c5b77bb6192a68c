#!/usr/bin/env bash
# Runs the whole test suite: the module-graph check, unit tests, integration tests over HTTP on SQLite and
# PostgreSQL, CLI tests and the headless-Chromium browser test.
#
# PostgreSQL: PHONGTRAO_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test);
# every test creates and drops its own database. With CI=true a missing PostgreSQL
# or Chromium fails the run; otherwise those tests print SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
export PHONGTRAO_TEST_POSTGRES_URL="${PHONGTRAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# No file-level import loop in any crate, no web feature folder importing another.
python3 scripts/module-cycles.py --quiet
cargo test --workspace --locked "$@"
