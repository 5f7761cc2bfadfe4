#!/usr/bin/env bash
# Set up everything the test suite needs and run it: the venv with dev extras, Debian's Chromium for
# the browser tests (when root and missing), a throwaway PostgreSQL for the server tests. Tests that
# need ../shared/data, PostgreSQL, Chromium or Java skip with a reason where those are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export PATH="$PWD/.venv/bin:$PATH"   # tools the tests start (Spark workers, lagebild) come from the venv
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: could not install chromium; browser tests will be skipped"
fi
if [ -z "${LAGEBILD_TEST_PG:-}" ] && [ -f .ci/postgres.sh ]; then
  if pg_env=$(bash .ci/postgres.sh); then
    eval "$pg_env"
    trap 'bash .ci/postgres.sh stop "$LAGEBILD_PG_DIR" >/dev/null 2>&1 || true' EXIT
  else
    echo "note: could not start PostgreSQL; PostgreSQL tests will be skipped"
  fi
fi
.venv/bin/python -m pytest -n "${LAGEBILD_TEST_WORKERS:-2}" --dist loadfile -q "$@"
