#!/usr/bin/env python3
"""Checks cockpit's and ccusage's per-session totals agree and prints the
side-by-side figures. Called by bench/report.sh: compare.py CORPUS OUT."""

import json
import os
import re
import sys

corpus, out = sys.argv[1], sys.argv[2]


def rusage(name):
    text = open(os.path.join(out, name + ".time")).read()

    def field(label):
        return re.search(re.escape(label) + r": (.*)", text).group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss_mb = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss_mb


def corpus_mb(part):
    total = 0
    for base, _, files in os.walk(os.path.join(corpus, part)):
        total += sum(os.path.getsize(os.path.join(base, f)) for f in files if f.endswith(".jsonl"))
    return total / 1e6


def load(name):
    return json.load(open(os.path.join(out, name + ".json")))


def replays():
    """Sidechain replays the generator wrote (first line of a subagent file,
    text "replayed"): cockpit drops them, as the issue's rules say; ccusage
    20.0.24's session report still counts them. Returned per session so the
    check can add them back and compare everything else exactly."""
    extra = {}
    for base, _, files in os.walk(os.path.join(corpus, "claude")):
        if os.path.basename(base) != "subagents":
            continue
        session = os.path.basename(os.path.dirname(base))
        for name in files:
            with open(os.path.join(base, name)) as fh:
                line = fh.readline()
            if '"text":"replayed"' in line:
                u = json.loads(line)["message"]["usage"]
                add = (u["input_tokens"], u["output_tokens"], u.get("cache_creation_input_tokens", 0),
                       u.get("cache_read_input_tokens", 0))
                extra[session] = tuple(a + b for a, b in zip(extra.get(session, (0, 0, 0, 0)), add))
    return extra


def check_claude():
    extra = replays()
    print(f"claude: {len(extra)} sidechain replays dropped by cockpit and counted by ccusage 20.0.24 "
          "(added back for the check)")
    ours = {s["session_id"]: s for s in load("cockpit-claude")["sessions"]}
    theirs = {s["sessionId"]: s for s in load("ccusage-claude")["sessions"]}
    bad = []
    for sid in sorted(set(ours) | set(theirs)):
        a, b = ours.get(sid), theirs.get(sid)
        if a is None or b is None:
            bad.append((sid, "only in " + ("ccusage" if a is None else "cockpit")))
            continue
        pa = (a["input_tokens"], a["output_tokens"], a["cache_creation_input_tokens"], a["cache_read_input_tokens"])
        pa = tuple(x + y for x, y in zip(pa, extra.get(sid, (0, 0, 0, 0))))
        pb = (b["inputTokens"], b["outputTokens"], b["cacheCreationTokens"], b["cacheReadTokens"])
        if pa != pb:
            bad.append((sid, f"cockpit {pa} ccusage {pb}"))
    return len(ours), bad


def check_codex():
    ours = {s["session_id"]: s for s in load("cockpit-codex")["sessions"]}
    bad = []
    theirs = load("ccusage-codex").get("sessions", [])
    matched = 0
    for b in theirs:
        sid = next((k for k in ours if k in b.get("sessionId", "")), None)
        if sid is None:
            bad.append((b.get("sessionId"), "only in ccusage"))
            continue
        matched += 1
        a = ours[sid]
        # ccusage 20 also reports Codex input without the cached part.
        pa = (a["input_tokens"], a["cache_read_input_tokens"], a["output_tokens"])
        pb = (b.get("inputTokens"), b.get("cachedInputTokens", b.get("cacheReadTokens")), b.get("outputTokens"))
        if pa != pb:
            bad.append((sid, f"cockpit {pa} ccusage {pb}"))
    if matched != len(ours):
        bad.append(("*", f"{len(ours)} cockpit sessions, {matched} matched"))
    return len(ours), bad


def table(part):
    mb = corpus_mb(part)
    print(f"\n{part}: {mb:,.1f} MB")
    print(f"{'':10} {'wall s':>8} {'CPU s':>8} {'MB/s':>9} {'MB/CPU-s':>9} {'max RSS MB':>11}")
    rows = {}
    for tool in ("cat", "cockpit", "ccusage"):
        wall, cpu, rss = rusage(f"{tool}-{part}")
        rows[tool] = (wall, cpu, rss)
        print(f"{tool:10} {wall:8.2f} {cpu:8.2f} {mb / max(wall, 1e-3):9.0f} {mb / max(cpu, 1e-3):9.0f} {rss:11.1f}")
    (cw, cc, cr), (uw, uc, ur) = rows["cockpit"], rows["ccusage"]
    print(f"cockpit vs ccusage: {uc / max(cc, 1e-3):.1f}x MB per CPU-second, "
          f"{uw / max(cw, 1e-3):.1f}x MB/s, {ur / max(cr, 1e-3):.1f}x less peak memory")


ok = True
n, bad = check_claude()
print(f"claude: {n} sessions, {'all per-session totals agree' if not bad else str(len(bad)) + ' differ'}")
for sid, why in bad[:10]:
    print(f"  {sid}: {why}")
ok &= not bad
table("claude")
if os.path.exists(os.path.join(out, "cockpit-codex.json")):
    n, bad = check_codex()
    print(f"\ncodex: {n} sessions, {'all per-session totals agree' if not bad else str(len(bad)) + ' differ'}")
    for sid, why in bad[:10]:
        print(f"  {sid}: {why}")
    ok &= not bad
    table("codex")
sys.exit(0 if ok else 1)
