#!/usr/bin/env bash
# `cockpit report` side by side with ccusage 20 on a generated corpus.
#
#   bench/report.sh [--size-mb 1024] [--seed 1] [--single] [--keep] [--dir DIR]
#
# Generates a deterministic corpus (examples/gen_corpus.rs), warms the page
# cache, then runs `cat` (the floor), `cockpit report --json` and
# `ccusage claude session --json` under /usr/bin/time -v, checks that both
# give the same per-session token totals, and prints MB/s, MB per CPU-second
# (user+sys) and peak memory (max RSS) for each. The same for the Codex part.
# The corpus is deleted afterwards unless --keep.
set -euo pipefail

size_mb=1024 seed=1 single="" keep="" dir="${TMPDIR:-/tmp}/cockpit-bench-corpus"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --single) single="--single"; shift ;;
    --keep) keep=1; shift ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "bench/report.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
ccusage_dir="${CCUSAGE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cockpit-bench/ccusage}"
ccusage="$ccusage_dir/node_modules/.bin/ccusage"
if [ ! -x "$ccusage" ]; then
  # 20.0.24 ships a native linux-x64 binary; later 20.x may refuse to run.
  npm install --silent --prefix "$ccusage_dir" ccusage@20.0.24 >&2
fi
[ -x /usr/bin/time ] || { echo "bench/report.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

(cd "$root" && cargo build --release --quiet --bin cockpit --example gen_corpus)
cockpit="$target/release/cockpit"

rm -rf "$dir"
"$target/release/examples/gen_corpus" --seed "$seed" --size-mb "$size_mb" --out "$dir" $single >&2
[ -n "$keep" ] || trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/home" "$dir/out"
out="$dir/out"

files_of() { find "$dir/$1" -name '*.jsonl' -type f; }
# Warm the page cache so that every side reads from memory alike.
files_of claude | xargs cat > /dev/null
[ -d "$dir/codex" ] && files_of codex | xargs cat > /dev/null

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" > "$out/$name.json" 2> "$out/$name.err" || {
    echo "bench/report.sh: $name failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
}
run_env=(env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config"
         CLAUDE_CONFIG_DIR="$dir/claude" CODEX_HOME="$dir/codex" NO_COLOR=1)

measure cat-claude sh -c "find '$dir/claude' -name '*.jsonl' -type f -print0 | xargs -0 cat > /dev/null"
measure cockpit-claude "${run_env[@]}" "$cockpit" report --json --agent claude
measure ccusage-claude "${run_env[@]}" "$ccusage" claude session --json --offline
if [ -d "$dir/codex" ]; then
  measure cat-codex sh -c "find '$dir/codex' -name '*.jsonl' -type f -print0 | xargs -0 cat > /dev/null"
  measure cockpit-codex "${run_env[@]}" "$cockpit" report --json --agent codex
  measure ccusage-codex "${run_env[@]}" "$ccusage" codex session --json --offline
fi

echo "machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') RAM, kernel $(uname -r)"
echo "corpus: seed $seed, $(files_of claude | wc -l) Claude files, $( [ -d "$dir/codex" ] && files_of codex | wc -l || echo 0) Codex files ${single:+(single-file mode)}"
python3 "$root/bench/compare.py" "$dir" "$out"
