#!/usr/bin/env bash
# Runs schemathesis against a running phongtrao server's OpenAPI document
# (/api/v1/openapi.json) with one bearer token: every documented operation but the
# three that would end the token's session, a bounded number of examples each, and
# three checks — no server error, every status documented, every response in its
# documented schema. Used by crates/phongtrao/tests/openapi_fuzz.rs; runs by hand too:
#
#   scripts/schemathesis.sh http://127.0.0.1:8080 "$TOKEN" [more `st run` options]
#
# PHONGTRAO_SCHEMATHESIS   the `st` binary (default: the virtualenv .ci/run installs)
# PHONGTRAO_FUZZ_EXAMPLES  examples per operation in the fuzzing phase (default 30)
# PHONGTRAO_FUZZ_SEED      seed (default 1: a failure reproduces; change it to explore)
set -euo pipefail
usage="usage: $0 BASE_URL TOKEN [st run options]"
base=${1:?$usage}
token=${2:?$usage}
shift 2
st=${PHONGTRAO_SCHEMATHESIS:-/var/tmp/phongtrao-venv/bin/st}
exec "$st" run "${base%/}/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${PHONGTRAO_FUZZ_EXAMPLES:-30}" \
  --seed "${PHONGTRAO_FUZZ_SEED:-1}" \
  --exclude-path /auth/logout \
  --exclude-path /auth/logout-everywhere \
  --exclude-path /auth/password \
  --generation-database none \
  --request-timeout 70 \
  --no-color \
  "$@"
