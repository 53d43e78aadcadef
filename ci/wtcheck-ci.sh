#!/bin/sh
# wtcheck in CI: fetch a pinned wtcheck release and verify it against the release's SHA256SUMS
# before it ever runs (or build it from source when asked), write the reports asked for, then
# run the gate. The GitHub Action (action.yml) runs this file; the GitLab template
# (ci/wtcheck.gitlab-ci.yml) carries a copy of it, kept equal by TestGitLabTemplateCarriesTheScript
# in tools/ci (`go test ./tools/ci -run TestGitLabTemplateCarriesTheScript -update` rewrites
# the copy). docs/ci.md documents every variable.
#
# Settings come from WTCHECK_* environment variables only: the action maps its inputs onto
# them, so no input is ever pasted into shell code.
#
# POSIX sh (dash, BusyBox ash, bash): no arrays, so each command line is built in the
# positional parameters of a function.
#
# Exit status: the gate's (0 nothing new at or above fail-on, 1 something is), or 2 when the
# check could not run, including every failure to fetch or verify the binary. Nothing is
# uploaded anywhere: the reports stay where the variables say, on the runner.
set -eu

say() { printf 'wtcheck-ci: %s\n' "$*" >&2; }

breaches='' new_breaches='' bin='' findings_written='' sarif_written='' junit_written=''
code_quality_written='' markdown_written='' html_written='' dir='' keep_dir=false

# output records one output: for GitHub in $GITHUB_OUTPUT, and the counts for GitLab in a
# dotenv file (WTCHECK_OUTPUT_ENV, an artifacts:reports:dotenv, which takes few variables and
# no empty value: later jobs have the reports themselves as artifacts). A value never spans
# lines, so it cannot forge a second output.
output() {
	value=$(printf '%s' "$2" | tr -d '\r\n')
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf '%s=%s\n' "$1" "$value" >>"$GITHUB_OUTPUT"
	fi
	if [ -z "${WTCHECK_OUTPUT_ENV:-}" ] || [ -z "$value" ]; then
		return 0
	fi
	case $1 in
	exit-code) printf 'WTCHECK_EXIT_CODE=%s\n' "$value" >>"$WTCHECK_OUTPUT_ENV" ;;
	breaches) printf 'WTCHECK_BREACHES=%s\n' "$value" >>"$WTCHECK_OUTPUT_ENV" ;;
	new-breaches) printf 'WTCHECK_NEW_BREACHES=%s\n' "$value" >>"$WTCHECK_OUTPUT_ENV" ;;
	esac
}

# kept names a file for the outputs unless it lies in the run's own directory and that
# directory is about to be removed.
kept() {
	case $1 in
	"$dir"/*) [ "$keep_dir" = false ] || printf '%s' "$1" ;;
	*) printf '%s' "$1" ;;
	esac
}

# finish records the outputs and ends with the status given: 0, 1, or 2 for anything else
# (a binary that would not start, a signal), since a pipeline reads 2 as "could not run".
finish() {
	code=$1
	case $code in
	0 | 1 | 2) ;;
	*)
		say "the check could not run (exit $code)"
		code=2
		;;
	esac
	output exit-code "$code"
	output breaches "$breaches"
	output new-breaches "$new_breaches"
	output wtcheck "$(kept "$bin")"
	output findings "$(kept "$findings_written")"
	output sarif "$sarif_written"
	output junit "$junit_written"
	output code-quality "$code_quality_written"
	output markdown "$(kept "$markdown_written")"
	output html "$html_written"
	# Off GitHub (which empties RUNNER_TEMP after every job) nothing is left behind in the
	# temporary directory: its findings are about children, and a shell runner keeps /tmp.
	if [ -n "$dir" ] && [ "$keep_dir" = false ]; then
		rm -rf "$dir"
	fi
	exit "$code"
}

fail() {
	say "$*"
	finish 2
}

# bool reads a true/false value.
bool() {
	case $1 in
	true | True | TRUE | yes | 1) echo true ;;
	false | False | FALSE | no | 0 | '') echo false ;;
	*) echo bad ;;
	esac
}

if [ -n "${WTCHECK_OUTPUT_ENV:-}" ]; then
	: >"$WTCHECK_OUTPUT_ENV"
fi

raw=''
for pair in strict:WTCHECK_STRICT allow-empty:WTCHECK_ALLOW_EMPTY redact:WTCHECK_REDACT \
	build-from-source:WTCHECK_BUILD_FROM_SOURCE log-findings:WTCHECK_LOG_FINDINGS \
	job-summary:WTCHECK_JOB_SUMMARY annotations:WTCHECK_ANNOTATIONS; do
	var=${pair#*:}
	eval "raw=\${$var:-}"
	[ "$(bool "$raw")" != bad ] || fail "${pair%%:*} ($var) is \"$raw\": want true or false"
done
strict=$(bool "${WTCHECK_STRICT:-}")
allow_empty=$(bool "${WTCHECK_ALLOW_EMPTY:-}")
redact=$(bool "${WTCHECK_REDACT:-}")
build_from_source=$(bool "${WTCHECK_BUILD_FROM_SOURCE:-}")
log_findings=$(bool "${WTCHECK_LOG_FINDINGS:-}")
job_summary=$(bool "${WTCHECK_JOB_SUMMARY:-}")
annotations=$(bool "${WTCHECK_ANNOTATIONS:-}")

paths=${WTCHECK_PATHS:-}
# Editions may be given as "2018, 2023" or one a line: wtcheck wants 2018,2023.
editions=$(printf '%s' "${WTCHECK_EDITIONS:-}" | tr ' \t\r\n' ',,,,' | tr -s ',' | sed 's/^,//; s/,$//')
as_of=${WTCHECK_AS_OF:-}
baseline=${WTCHECK_BASELINE:-}
fail_on=${WTCHECK_FAIL_ON:-}
max_breaches=${WTCHECK_MAX_BREACHES:-}
redact_key_file=${WTCHECK_REDACT_KEY_FILE:-}
extra_args=${WTCHECK_EXTRA_ARGS:-}
[ -n "$(printf '%s' "$paths" | tr -d ' \t\n\r')" ] ||
	fail "no extract to check: set paths (WTCHECK_PATHS) to the files or directories to check"
if [ "$redact" = true ] && [ -z "${WTCHECK_REDACT_KEY:-}" ] && [ -z "$redact_key_file" ]; then
	fail "redact is true but there is no key: set redact-key (WTCHECK_REDACT_KEY, from a secret) or redact-key-file (WTCHECK_REDACT_KEY_FILE)"
fi

# The runner's platform, named as the release names its binaries.
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
case $os in
Linux | linux) os=linux ;;
macOS | Darwin | darwin) os=darwin ;;
Windows | windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
*) fail "no wtcheck release for the operating system $os: set build-from-source (WTCHECK_BUILD_FROM_SOURCE) to true" ;;
esac
case $arch in
X64 | x86_64 | amd64) arch=amd64 ;;
ARM64 | aarch64 | arm64) arch=arm64 ;;
*) fail "no wtcheck release for the processor $arch: set build-from-source (WTCHECK_BUILD_FROM_SOURCE) to true" ;;
esac
ext=''
[ "$os" != windows ] || ext=.exe
[ "$os/$arch" != windows/arm64 ] ||
	fail "no wtcheck release for windows/arm64: set build-from-source (WTCHECK_BUILD_FROM_SOURCE) to true"

# Everything this run fetches or keeps for itself goes into a directory of its own.
tmp_base=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
[ -z "${RUNNER_TEMP:-}" ] || keep_dir=true
dir=$(mktemp -d "$tmp_base/wtcheck.XXXXXX") || {
	dir=''
	fail "make a directory in $tmp_base: mktemp failed"
}

# sha256 prints the SHA-256 of a file in lower-case hex, with whichever tool the runner has.
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum <"$1" | awk '{ print $1 }'
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 <"$1" | awk '{ print $1 }'
	elif command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 -r <"$1" | awk '{ print $1 }'
	else
		return 1
	fi
}

# fetch copies a release file to the path given: over HTTPS (or HTTP) with curl or wget, from a
# file:// URL, or from a directory on the runner (a mounted mirror). Nothing else is fetched
# from anywhere.
fetch() {
	case $1 in
	https://* | http://*)
		if command -v curl >/dev/null 2>&1; then
			case $1 in
			https://*) curl -fsSL --retry 3 --proto '=https' --proto-redir '=https' -o "$2" "$1" ;;
			*) curl -fsSL --retry 3 -o "$2" "$1" ;;
			esac
		elif command -v wget >/dev/null 2>&1; then
			wget -q -O "$2" "$1"
		else
			say "no curl or wget on the runner"
			return 1
		fi
		;;
	file://*) cp "${1#file://}" "$2" ;;
	*://*)
		say "$1: want an https://, http:// or file:// URL, or a directory"
		return 1
		;;
	*) cp "$1" "$2" ;;
	esac
}

if [ "$build_from_source" = true ]; then
	src=${WTCHECK_SOURCE_DIR:-}
	[ -f "${src:-/nonexistent}/go.mod" ] ||
		fail "build-from-source: ${src:-WTCHECK_SOURCE_DIR} holds no go.mod: it must be wtcheck's source (the action's own directory)"
	command -v go >/dev/null 2>&1 ||
		fail "build-from-source needs Go on the runner (actions/setup-go with the version in go.mod)"
	bin=$dir/wtcheck$ext
	say "build wtcheck from $src"
	(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/wtcheck) ||
		fail "build wtcheck from $src: go build failed"
else
	version=${WTCHECK_VERSION:-}
	if [ -z "$version" ]; then
		# The action's own tag (uses: wtcheck/wtcheck@v0.1.0) is its release; a commit or a
		# branch names no release.
		case ${WTCHECK_ACTION_REF:-} in
		v[0-9]*) version=$WTCHECK_ACTION_REF ;;
		*) fail "no release to fetch: set version (WTCHECK_VERSION) to a release tag such as v0.1.0${WTCHECK_ACTION_REF:+ (the action is used at $WTCHECK_ACTION_REF, which is not a release tag)}, or build-from-source to true" ;;
		esac
	fi
	case $version in
	'' | .* | *[!A-Za-z0-9._+-]*) fail "version \"$version\" is not a release tag" ;;
	esac
	base=${WTCHECK_RELEASE_BASE_URL:-https://github.com/wtcheck/wtcheck/releases/download}
	base=${base%/}
	case $base in
	http://*) say "warning: $base is plain http: the checksums come over the same unauthenticated connection as the binary; pin the binary's SHA-256 (sha256, WTCHECK_SHA256) or use https" ;;
	esac
	name=wtcheck-$os-$arch$ext
	say "fetch $name and SHA256SUMS of $version from $base/$version"
	fetch "$base/$version/SHA256SUMS" "$dir/SHA256SUMS" ||
		fail "fetch $base/$version/SHA256SUMS: failed (is $version a release, and can the runner reach $base? A runner without internet sets release-base-url, WTCHECK_RELEASE_BASE_URL, to a mirror of the release files)"
	fetch "$base/$version/$name" "$dir/$name" ||
		fail "fetch $base/$version/$name: failed (is $version a release, and can the runner reach $base?)"

	# Fail closed: no entry, two entries, a malformed one or a different hash, and the file is
	# deleted without ever being made executable.
	want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print tolower($1); c++ } END { exit c != 1 }' "$dir/SHA256SUMS") || {
		rm -f "$dir/$name"
		fail "SHA256SUMS of $version has no single entry for $name: refusing to run it"
	}
	case $want in
	*[!0-9a-f]*) want=bad ;;
	esac
	[ ${#want} -eq 64 ] || {
		rm -f "$dir/$name"
		fail "SHA256SUMS of $version gives $name a malformed SHA-256: refusing to run it"
	}
	got=$(sha256 "$dir/$name") || got=''
	if [ -z "$got" ]; then
		rm -f "$dir/$name"
		fail "cannot verify $name: the runner has no sha256sum, shasum or openssl"
	fi
	if [ "$got" != "$want" ]; then
		rm -f "$dir/$name"
		fail "checksum mismatch: $name of $version has SHA-256 $got, SHA256SUMS says $want: refusing to run it"
	fi
	pinned=$(printf '%s' "${WTCHECK_SHA256:-}" | tr 'A-F' 'a-f')
	if [ -n "$pinned" ] && [ "$got" != "$pinned" ]; then
		rm -f "$dir/$name"
		fail "checksum mismatch: $name of $version has SHA-256 $got, the pinned sha256 (WTCHECK_SHA256) is $pinned: refusing to run it"
	fi
	chmod 755 "$dir/$name"
	bin=$dir/$name
	say "verified $name: SHA-256 $got${pinned:+ (pinned)}"
fi
about=$("$bin" version 2>&1) || fail "run $bin version: it did not start ($(printf '%s' "$about" | head -n 1))"
say "$(printf '%s\n' "$about" | head -n 1)"

# run runs a wtcheck command: its name and own flags, then the flags every command shares and
# the paths. The paths are split on white space and their wildcards expanded; extra-args are
# split but not expanded.
run() {
	[ -z "$editions" ] || set -- "$@" --edition "$editions"
	[ -z "$as_of" ] || set -- "$@" --as-of "$as_of"
	[ "$allow_empty" = false ] || set -- "$@" --allow-empty
	[ "$redact" = false ] || set -- "$@" --redact
	[ "$redact" = false ] || [ -z "$redact_key_file" ] || set -- "$@" --redact-key-file "$redact_key_file"
	set -f
	# shellcheck disable=SC2086 # split on purpose
	set -- "$@" $extra_args --
	set +f
	# shellcheck disable=SC2086 # split and expanded on purpose
	set -- "$@" $paths
	say "run: wtcheck $*"
	"$bin" "$@"
}

# report writes one report, which never fails the job by its findings: any other status than
# 0 (no extract, a bad flag) ends the run.
report() {
	status=0
	run "$@" || status=$?
	[ "$status" -eq 0 ] || finish "$status"
}

# The reports. Code scanning tracks alerts itself, so the SARIF takes the full run (never
# filtered by the baseline: a known breach left out would be closed as fixed); the test report,
# the code quality report and the summary list what the gate fails on.
set --
[ -z "$baseline" ] || set -- --baseline "$baseline"
if [ -n "${WTCHECK_SARIF:-}" ]; then
	report check --fail-on none --format sarif -o "$WTCHECK_SARIF"
	sarif_written=$WTCHECK_SARIF
fi
if [ -n "${WTCHECK_JUNIT:-}" ]; then
	report check --fail-on none --format junit -o "$WTCHECK_JUNIT" "$@"
	junit_written=$WTCHECK_JUNIT
fi
if [ -n "${WTCHECK_CODE_QUALITY:-}" ]; then
	report check --fail-on none --format gitlab -o "$WTCHECK_CODE_QUALITY" "$@"
	code_quality_written=$WTCHECK_CODE_QUALITY
fi
markdown=${WTCHECK_MARKDOWN:-}
if [ -z "$markdown" ] && [ "$job_summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
	markdown=$dir/summary.md
fi
if [ -n "$markdown" ]; then
	report check --fail-on none --format markdown -o "$markdown" "$@"
	markdown_written=$markdown
	if [ "$job_summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
	fi
fi
if [ -n "${WTCHECK_HTML:-}" ]; then
	report report --fail-on none --format html -o "$WTCHECK_HTML"
	html_written=$WTCHECK_HTML
fi
if [ "$annotations" = true ]; then
	report check --fail-on none --format github "$@"
fi

# The gate. Its table goes to a file on the runner, and into the log only when asked, since a
# job log is kept by the CI service; its counts go to the log and the outputs.
findings=${WTCHECK_FINDINGS:-$dir/findings.txt}
[ -z "$fail_on" ] || set -- "$@" --fail-on "$fail_on"
[ -z "$max_breaches" ] || set -- "$@" --max-breaches "$max_breaches"
[ "$strict" = false ] || set -- "$@" --strict
status=0
run check --format text -o "$findings" "$@" 2>"$dir/gate.err" || status=$?
cat "$dir/gate.err" >&2
[ ! -f "$findings" ] || findings_written=$findings
breaches=$(sed -n 's/^wtcheck: [0-9][0-9]* cases* checked.*): \([0-9][0-9]*\) breach, .*$/\1/p' "$dir/gate.err" | tail -n 1)
if [ -n "$baseline" ]; then
	new_breaches=$(sed -n 's/^wtcheck: baseline: \([0-9][0-9]*\) new breach.*$/\1/p' "$dir/gate.err" | tail -n 1)
else
	new_breaches=$breaches
fi
if [ "$log_findings" = true ] && [ -n "$findings_written" ]; then
	cat "$findings"
fi
counts=''
if [ -n "$breaches" ]; then
	counts="$breaches breaches found"
	[ -z "$baseline" ] || counts="$counts, ${new_breaches:-?} not in the baseline"
fi
case $status in
0) say "passed${counts:+ ($counts)}" ;;
1)
	where="the table is in $(kept "$findings_written")"
	[ -n "$(kept "$findings_written")" ] || where="set findings (WTCHECK_FINDINGS) to a file to keep the table"
	say "failed${counts:+ ($counts)}: a breach at or above fail-on${baseline:+ not in the baseline}${max_breaches:+, more than max-breaches}, or with strict a skipped record or a data warning; $where"
	;;
esac
finish "$status"
