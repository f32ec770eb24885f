#!/usr/bin/env bash
# Peak memory of `cockpit report` per distinct response (BENCHMARKS.md):
# corpora of N distinct one-line responses (2,000 per file), peak RSS from
# GNU time's %M, the slope between two sizes. Usage: bench/report_memory.sh [COCKPIT_BINARY]
set -euo pipefail
bin=${1:-target/release/cockpit}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen() { # N DIR
  python3 - "$1" "$2" <<'PY'
import os, sys
n, root = int(sys.argv[1]), sys.argv[2]
d = os.path.join(root, "projects", "-p")
os.makedirs(d, exist_ok=True)
files = max(1, n // 2000)
i = 0
for f in range(files):
    with open(os.path.join(d, "%08x-0000-4000-8000-%012x.jsonl" % (f, f)), "w") as out:
        for _ in range(n // files):
            out.write('{"type":"assistant","isSidechain":false,"sessionId":"s%d","requestId":"req_%d","timestamp":"2026-02-12T16:02:27.718Z","message":{"id":"msg_%d","model":"claude-opus-4-6","content":[],"usage":{"input_tokens":%d,"cache_creation_input_tokens":1,"cache_read_input_tokens":2,"output_tokens":5}}}\n' % (f, i, i, i))
            i += 1
PY
}
declare -A peak
for n in 100000 400000; do
  gen "$n" "$work/c$n"
  peak[$n]=$(CLAUDE_CONFIG_DIR="$work/c$n" CODEX_HOME="$work/none" HOME="$work" \
    /usr/bin/time -f %M "$bin" report --json 2>&1 >/dev/null | tail -1)
  echo "n=$n peak_rss_kib=${peak[$n]}"
done
echo "bytes per distinct response: $(( (peak[400000] - peak[100000]) * 1024 / 300000 ))"
