#!/bin/sh
# The benchmark of issue 17 (docs/performance.md): generates BENCH_CASES cases once (cached in
# .cache/bench, which git ignores), then times validate, check under the edition in force (one
# and two workers), check under every edition and compare on them, and prints for each the
# cases a second, MB a second, peak resident memory and the throughput as a share of
# validate's. Usage: tools/bench/bench.sh BIN CASES
set -eu
bin=$1
cases=$2
dir=.cache/bench
file=$dir/gen-v1-seed1-$cases.ndjson
mkdir -p "$dir"
if [ ! -f "$file" ]; then
	echo "generating $cases cases into $file (once)"
	"$bin" gen --cases "$cases" --seed 1 -o "$file.tmp" && mv "$file.tmp" "$file"
fi
bytes=$(wc -c < "$file")
echo "input: $file, $cases cases, $bytes bytes; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s %10s %10s %8s %10s %10s\n' command seconds cases/s MB/s peak_MiB "of validate"
base=
run() {
	name=$1
	shift
	# /usr/bin/time's %e is wall seconds, %M the peak resident size in KiB. Exit status 1
	# (breaches found) is what a check of this data gives; only 2 is a failure.
	status=0
	/usr/bin/time -f '%e %M' -o "$dir/time.out" "$bin" "$@" "$file" > /dev/null 2> "$dir/stderr.out" || status=$?
	if [ "$status" -gt 1 ]; then
		echo "$name: exit $status"; cat "$dir/stderr.out"; exit 1
	fi
	set -- $(tail -n 1 "$dir/time.out")
	secs=$1 kib=$2
	rate=$(awk -v n="$cases" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	[ -n "$base" ] || base=$rate
	awk -v name="$name" -v s="$secs" -v n="$cases" -v b="$bytes" -v k="$kib" -v base="$base" -v rate="$rate" \
		'BEGIN { printf "%-38s %10.2f %10.0f %8.1f %10.0f %10.2f\n", name, s, rate, b / s / 1e6, k / 1024, rate / base }'
}
run "validate" validate
run "check --edition in-force" check --edition in-force
run "check --edition in-force --workers 1" check --edition in-force --workers 1
run "check --edition in-force --workers 2" check --edition in-force --workers 2
run "check (every edition)" check
run "compare (every edition)" compare
