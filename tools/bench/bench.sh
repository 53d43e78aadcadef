#!/bin/sh
# The benchmark of issue 17 (docs/performance.md). It generates CASES cases once, and a tenth
# of them (cached in .cache/bench, which git ignores), then runs the commands in turn, RUNS
# rounds of each once (a slow minute of the shared machine then falls on every command alike,
# not on all the runs of one, and the ratios hold better), and prints, for each, the median
# wall seconds, cases a second, MB a second, the largest peak
# resident memory and the throughput as a share of validate's; then the figures the targets
# are about: check under the edition in force and under every edition against validate, two
# workers against one, the time and memory of ten times the cases, and the CIN census fake
# return scaled to 33,200 children (when ../shared is beside the repository).
# Where the script may run on two CPUs, and taskset (util-linux) is there, one worker also
# runs held to each CPU in turn: on a shared host one CPU can be slower than the other for
# minutes at a time (its neighbours' load), and two workers are then measured against each
# CPU's own speed as well as against one worker wherever the system put it.
# Usage: tools/bench/bench.sh BIN CASES RUNS
set -eu
bin=$1
cases=$2
runs=${3:-3}
dir=.cache/bench
mkdir -p "$dir"

# generate N: the generated file of N cases, made once.
generate() {
	f=$dir/gen-v1-seed1-$1.ndjson
	if [ ! -f "$f" ]; then
		echo "generating $1 cases into $f (once)" >&2
		"$bin" gen --cases "$1" --seed 1 -o "$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# once K FILE ARGS...: runs the command once and adds its wall time and peak resident size
# to the times of command K. Exit status 1 (breaches found) is what a check of this data
# gives; only 2 is a failure. $pin, when set, is put before the command (taskset -c N).
pin=
once() {
	k=$1
	file=$2
	shift 2
	status=0
	/usr/bin/time -f '%e %M' -o "$dir/time.out" $pin "$bin" "$@" "$file" > /dev/null 2> "$dir/stderr.out" || status=$?
	if [ "$status" -gt 1 ]; then
		echo "$bin $*: exit $status" >&2
		cat "$dir/stderr.out" >&2
		exit 1
	fi
	tail -n 1 "$dir/time.out" >> "$dir/times-$k.out"
}

# summarise K: sets secs (the median wall time of command K) and kib (its largest peak
# resident size).
summarise() {
	secs=$(sort -n "$dir/times-$1.out" | awk '{ s[NR] = $1 } END { print (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }')
	kib=$(sort -n -k2 "$dir/times-$1.out" | tail -n 1 | cut -d' ' -f2)
}

big=$(generate "$cases")
small=$(generate $((cases / 10)))
bytes=$(wc -c < "$big")
echo "input: $big, $cases cases, $bytes bytes; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); the commands run in turn, $runs round(s), the median shown"
printf '%-40s %9s %9s %7s %9s %8s\n' command seconds cases/s MB/s peak_MiB "of validate"
# The CPUs this script may run on (a container's may not be 0 and 1), when there are two.
percpu=
cpus=$(awk -F'\t' '/^Cpus_allowed_list:/ {
	n = split($2, parts, ",")
	for (i = 1; i <= n; i++) {
		if (split(parts[i], r, "-") == 2) { for (c = r[1]; c <= r[2]; c++) printf "%d ", c }
		else printf "%d ", parts[i]
	}
}' /proc/self/status 2> /dev/null || true)
set -- $cpus
if [ "$#" -eq 2 ] && command -v taskset > /dev/null 2>&1; then
	percpu=yes
	cpu_a=$1
	cpu_b=$2
fi
for k in validate inforce one two every compare small cpu0 cpu1; do
	: > "$dir/times-$k.out"
done
i=0
while [ "$i" -lt "$runs" ]; do
	once validate "$big" validate
	once inforce "$big" check --edition in-force
	once one "$big" check --edition in-force --workers 1
	once two "$big" check --edition in-force --workers 2
	once every "$big" check
	once compare "$big" compare
	once small "$small" check --edition in-force
	if [ -n "$percpu" ]; then
		pin="taskset -c $cpu_a"
		once cpu0 "$big" check --edition in-force --workers 1
		pin="taskset -c $cpu_b"
		once cpu1 "$big" check --edition in-force --workers 1
		pin=
	fi
	i=$((i + 1))
done
base=
row() {
	summarise "$2"
	rate=$(awk -v n="$cases" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	[ -n "$base" ] || base=$rate
	awk -v name="$1" -v s="$secs" -v n="$cases" -v b="$bytes" -v k="$kib" -v base="$base" -v rate="$rate" \
		'BEGIN { printf "%-40s %9.2f %9.0f %7.1f %9.0f %8.2f\n", name, s, rate, b / s / 1e6, k / 1024, rate / base }'
}
row "validate" validate
validate_secs=$secs
row "check --edition in-force" inforce
inforce_secs=$secs inforce_kib=$kib
row "check --edition in-force --workers 1" one
one_secs=$secs
row "check --edition in-force --workers 2" two
two_secs=$secs
row "check (every edition)" every
every_secs=$secs
row "compare (every edition)" compare
if [ -n "$percpu" ]; then
	row "  --workers 1 held to CPU $cpu_a" cpu0
	cpu0_secs=$secs
	row "  --workers 1 held to CPU $cpu_b" cpu1
	cpu1_secs=$secs
fi

summarise small
small_secs=$secs small_kib=$kib

echo
echo "targets"
awk -v v="$validate_secs" -v i="$inforce_secs" -v e="$every_secs" -v one="$one_secs" -v two="$two_secs" \
	-v big="$inforce_secs" -v small="$small_secs" -v bk="$inforce_kib" -v sk="$small_kib" -v n="$cases" 'BEGIN {
	printf "  check --edition in-force, share of validate'"'"'s throughput   %6.2f  (target >= 0.60)\n", v / i
	printf "  check every edition, share of validate'"'"'s throughput        %6.2f  (target >= 0.30)\n", v / e
	printf "  2 workers against 1, check --edition in-force            %6.2fx (target >= 1.7)\n", one / two
	printf "  %d cases against %d, check --edition in-force time  %6.2fx (target <= 11)\n", n, n / 10, big / small
	printf "  peak memory, %d cases against %d                    %6.0f MiB against %.0f MiB\n", n, n / 10, bk / 1024, sk / 1024
}'
if [ -n "$percpu" ]; then
	# What the two CPUs do together at best is the sum of their speeds: against their mean
	# (the harmonic mean of their times), two workers would be 2x with nothing lost.
	awk -v a="$cpu0_secs" -v b="$cpu1_secs" -v two="$two_secs" -v ca="$cpu_a" -v cb="$cpu_b" 'BEGIN {
		printf "  2 workers against 1 held to each CPU (their mean speed)  %6.2fx (CPU %s %.2f s, CPU %s %.2f s alone)\n", 2 / (1 / a + 1 / b) / two, ca, a, cb, b
	}'
fi
# The ratio of two workers to one in each round, from runs a minute apart: a median of each
# can pair a slow spell on one with a quiet one on the other, which these show.
if [ "$runs" -gt 1 ]; then
	printf '%-59s' '  2 workers against 1, round by round'
	paste -d' ' "$dir/times-one.out" "$dir/times-two.out" | awk '{ printf " %.2fx", $1 / $3 } END { printf "\n" }'
	if [ -n "$percpu" ]; then
		printf '%-59s' '  2 workers against 1 held to each CPU, round by round'
		paste -d' ' "$dir/times-cpu0.out" "$dir/times-cpu1.out" "$dir/times-two.out" |
			awk '{ printf " %.2fx", 2 / (1 / $1 + 1 / $3) / $5 } END { printf "\n" }'
	fi
fi

fake=../shared/data/cin-census/fake_CIN_data.xml
if [ -f "$fake" ]; then
	census=$dir/census-33200.xml
	[ -f "$census" ] || go run ./tools/bench/scalecensus "$fake" 100 "$census"
	: > "$dir/times-census.out"
	i=0
	while [ "$i" -lt "$runs" ]; do
		once census "$census" check --input-format cin-census --edition in-force
		i=$((i + 1))
	done
	summarise census
	awk -v s="$secs" -v k="$kib" 'BEGIN {
		printf "  the fake CIN return scaled to 33,200 children, in force     %6.2f s, %.0f MiB: 1/%.0f of the Python validator'"'"'s 264 s (target: 1/100 or less)\n", s, k / 1024, 264 / s
	}'
else
	echo "  the CIN census comparison needs $fake (../shared beside the repository): skipped"
fi
