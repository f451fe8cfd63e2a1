#!/usr/bin/env bash
# Fuzzes every reader with libFuzzer (address sanitizer on), each for a bounded time or number of
# inputs, starting from the seeds in Fuzz/corpus/<target>. A crash is saved to
# out/fuzz/crashes/<target>-crash-*; copy it to Fuzz/crashes/<target>/ to keep it as a regression
# case (FuzzCorpusTests replays that folder in `swift test`).
#
#   Scripts/fuzz.sh                  # 60 s per target
#   Scripts/fuzz.sh --seconds 30     # CI
#   Scripts/fuzz.sh --runs 100000    # a fixed number of inputs per target
#   Scripts/fuzz.sh --targets "pos rrng"
#   Scripts/fuzz.sh --targets hdf5   # not by default: libhdf5 1.10 (C) crashes on some damaged
#                                    # files; the CLI reads .h5 inputs in a child process first
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=60; RUNS=""; TARGETS="pos epos apt rrng rng env params csv fields nxs"
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_PER="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --targets) TARGETS="$2"; shift 2 ;;
        *) echo "usage: $0 [--seconds N | --runs N] [--targets \"pos rrng ...\"]" >&2; exit 2 ;;
    esac
done
echo "fuzz: building (release, -sanitize=fuzzer,address)" >&2
# A failed build stops the run: an older fuzzer binary left in .build-fuzz must not be fuzzed in
# its place.
mkdir -p out/fuzz
LOG=out/fuzz/build.log
# SwiftPM keeps the main package's list of source files in .build-fuzz and misses files added
# since (the build then fails to find their types): start afresh when the list changes.
STAMP=$(find Sources -name '*.swift' | sort | cksum)
[ "$(cat .build-fuzz/sources.stamp 2>/dev/null)" = "$STAMP" ] || rm -rf .build-fuzz
if ! swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > "$LOG" 2>&1; then
    grep -E "error" "$LOG" >&2 || tail -20 "$LOG" >&2
    echo "fuzz: build failed (full log: $LOG)" >&2; exit 1
fi
grep -E "Compiling|Build" "$LOG" >&2 || true
echo "$STAMP" > .build-fuzz/sources.stamp
BIN=.build-fuzz/release/apk-fuzz
[ -x "$BIN" ] || { echo "fuzz: build failed" >&2; exit 1; }
WORK=out/fuzz
mkdir -p "$WORK/crashes"
failed=0
for t in $TARGETS; do
    mkdir -p "$WORK/corpus/$t"
    limit=(-max_total_time="$SECONDS_PER")
    [ -n "$RUNS" ] && limit=(-runs="$RUNS")
    log="$WORK/$t.log"
    # libhdf5 (C, not ours) asks for absurd allocations on some damaged files and then reports an
    # error when malloc fails, as it does outside the sanitizer: let such requests fail there.
    # Leak reports are off: Swift's runtime caches and libhdf5's error stack are not leaks.
    extra=()
    [ "$t" = hdf5 ] && extra=(-malloc_limit_mb=1048576)
    # New corpus entries go to out/fuzz/corpus (first folder); the committed seeds are read only.
    if ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0 APK_FUZZ_TARGET="$t" "$BIN" "$WORK/corpus/$t" "Fuzz/corpus/$t" "${limit[@]}" \
        -artifact_prefix="$WORK/crashes/$t-" -max_len=65536 -timeout=20 -rss_limit_mb=3072 \
        -print_final_stats=1 "${extra[@]}" > "$log" 2>&1; then
        runs=$(grep -Eo "stat::number_of_executed_units: *[0-9]+" "$log" | grep -Eo "[0-9]+$" || echo "?")
        echo "fuzz: $t: $runs inputs, no crash" >&2
    else
        echo "fuzz: $t: FAILED (log: $log; inputs: $WORK/crashes/$t-*)" >&2
        grep -E "ERROR|Fatal error|SUMMARY|panic" "$log" | head -5 >&2 || true
        failed=1
    fi
done
exit $failed
