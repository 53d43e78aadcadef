// Package ci holds the tests of wtcheck's CI integrations: the composite GitHub Action
// (action.yml at the repository root), the GitLab CI template (ci/wtcheck.gitlab-ci.yml) and
// the POSIX sh step script both run (ci/wtcheck-ci.sh). It has no code of its own.
//
// The tests need no network: they build the host's release binary as `make release` does
// (make release-binary, then tools/release for its SBOM and SHA256SUMS) into a temporary
// release directory, point the action and the template at it with a file:// base URL or a
// plain directory, and run their shell steps with sh on the sample extract. See docs/ci.md.
package ci
