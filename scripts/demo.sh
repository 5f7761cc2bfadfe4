#!/usr/bin/env bash
# Set up, then run the main job on the bundled example pages: analyze and ingest them into an
# embedded DuckDB file (no server), and show what was stored.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${LAGEBILD_DB:-demo.duckdb}
inputs=(examples)
[ -f ../shared/seed/000_fa5e8bf525930c36.txt ] && inputs+=(../shared/seed/000_fa5e8bf525930c36.txt)
echo "== lagebild analyze examples/de_aussenministerin_dump.txt"
.venv/bin/lagebild analyze examples/de_aussenministerin_dump.txt
echo "== lagebild ingest ${inputs[*]} --db $DB"
.venv/bin/lagebild ingest "${inputs[@]}" --db "$DB" --quiet
echo "== again: nothing new is added"
.venv/bin/lagebild ingest "${inputs[@]}" --db "$DB" --quiet
echo "== lagebild stats --db $DB"
.venv/bin/lagebild stats --db "$DB"
if .venv/bin/lagebild --help | grep -q " actors "; then
  echo "== lagebild actors --db $DB"
  .venv/bin/lagebild actors --db "$DB" --limit 15
fi
