package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var stamp = Stamp{Version: "v1.2.0", Commit: "0123456789abcdef0123456789abcdef01234567", Date: time.Date(2026, 3, 18, 9, 30, 0, 0, time.FixedZone("BST", 3600))}

// fakeInfo is the build information of a linux/arm64 release binary with two modules, one
// of them replaced and one of them +incompatible.
func fakeInfo() *debug.BuildInfo {
	return &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Path:      "github.com/wtcheck/wtcheck/cmd/wtcheck",
		Main:      debug.Module{Path: "github.com/wtcheck/wtcheck", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "cel.dev/cel-go", Version: "v0.33.2", Sum: "h1:eAcEdBguc6AFrGbPOyE0g168Uey4kKFW9J6qsBLSeMU="},
			{Path: "example.org/old", Version: "v2.0.0+incompatible", Sum: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
				Replace: &debug.Module{Path: "example.org/fork", Version: "v2.0.1+incompatible", Sum: "h1://////////////////////////////////////////8="}},
		},
		Settings: []debug.BuildSetting{
			{Key: "-buildmode", Value: "exe"}, {Key: "-compiler", Value: "gc"}, {Key: "-trimpath", Value: "true"},
			{Key: "CGO_ENABLED", Value: "0"}, {Key: "GOARCH", Value: "arm64"}, {Key: "GOOS", Value: "linux"}, {Key: "GOARM64", Value: "v8.0"},
		},
	}
}

// TestSBOMListsExactlyTheLinkedModules: the application, hashed, and every module of the
// build information with its go.sum hash as SHA-256, the standard library first; a replaced
// module under what replaced it.
func TestSBOMListsExactlyTheLinkedModules(t *testing.T) {
	doc, err := SBOM("wtcheck-linux-arm64", []byte("binary bytes"), fakeInfo(), stamp)
	if err != nil {
		t.Fatal(err)
	}
	var got bom
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	const q = "?goarch=arm64&goos=linux&type=module"
	app := got.Metadata.Component
	if want := "pkg:golang/github.com/wtcheck/wtcheck@v1.2.0" + q + "#cmd/wtcheck"; app.PURL != want || app.BOMRef != want {
		t.Errorf("application purl %q, bom-ref %q; want %q", app.PURL, app.BOMRef, want)
	}
	// sha256("binary bytes")
	if len(app.Hashes) != 1 || app.Hashes[0] != (hash{"SHA-256", "4f463802bc436efdd9a0c4e8c999ec3d37450657bd50b579d796b58bc9d3f1ef"}) {
		t.Errorf("application hashes %v", app.Hashes)
	}
	if got.Metadata.Timestamp != "2026-03-18T08:30:00Z" {
		t.Errorf("timestamp %q, want the commit's date in UTC", got.Metadata.Timestamp)
	}
	props := map[string]string{}
	for _, p := range app.Properties {
		props[p.Name] = p.Value
	}
	for k, v := range map[string]string{
		"cdx:gomod:binary:name": "wtcheck-linux-arm64", "cdx:gomod:build:env:GOOS": "linux", "cdx:gomod:build:env:GOARCH": "arm64",
		"cdx:gomod:build:env:CGO_ENABLED": "0", "cdx:gomod:build:env:GOVERSION": "go1.26.8", "cdx:gomod:build:env:GOARM64": "v8.0",
		"cdx:gomod:build:trimpath": "true", "cdx:gomod:build:vcs:revision": stamp.Commit, "cdx:gomod:build:vcs:time": "2026-03-18T08:30:00Z",
	} {
		if props[k] != v {
			t.Errorf("property %s = %q, want %q", k, props[k], v)
		}
	}
	want := []component{
		{BOMRef: "pkg:golang/cel.dev/cel-go@v0.33.2" + q, Type: "library", Name: "cel.dev/cel-go", Version: "v0.33.2", Scope: "required",
			Hashes: []hash{{"SHA-256", "78070474182e73a005ac66cf3b2134835ebc51ecb890a156f49eaab012d278c5"}}, PURL: "pkg:golang/cel.dev/cel-go@v0.33.2" + q},
		{BOMRef: "pkg:golang/example.org/fork@v2.0.1%2Bincompatible" + q, Type: "library", Name: "example.org/fork", Version: "v2.0.1+incompatible", Scope: "required",
			Hashes: []hash{{"SHA-256", strings.Repeat("ff", 32)}}, PURL: "pkg:golang/example.org/fork@v2.0.1%2Bincompatible" + q,
			Properties: []property{{"cdx:gomod:replaces", "example.org/old@v2.0.0+incompatible"}}},
		{BOMRef: "pkg:golang/std@go1.26.8" + q, Type: "library", Name: "std", Version: "go1.26.8", Scope: "required", PURL: "pkg:golang/std@go1.26.8" + q},
	}
	if g, w := mustJSON(t, got.Components), mustJSON(t, want); g != w {
		t.Errorf("components\n got %s\nwant %s", g, w)
	}
	if len(got.Dependencies) != 4 || len(got.Dependencies[0].DependsOn) != 3 || got.Dependencies[0].Ref != app.BOMRef {
		t.Errorf("dependencies: %s", mustJSON(t, got.Dependencies))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSBOMIsTheSameForTheSameBinary: no clock and no random serial number, so two builds
// of one commit give the same SBOM; another binary gets another serial number.
func TestSBOMIsTheSameForTheSameBinary(t *testing.T) {
	a, err := SBOM("wtcheck-linux-arm64", []byte("one"), fakeInfo(), stamp)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SBOM("wtcheck-linux-arm64", []byte("one"), fakeInfo(), stamp)
	c, _ := SBOM("wtcheck-linux-arm64", []byte("two"), fakeInfo(), stamp)
	if string(a) != string(b) {
		t.Error("the same binary gave two SBOMs")
	}
	serial := func(doc []byte) string {
		var d bom
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		return d.SerialNumber
	}
	if serial(a) == serial(c) {
		t.Errorf("two binaries share the serial number %s", serial(a))
	}
}

func TestSBOMErrors(t *testing.T) {
	info := fakeInfo()
	info.Settings = nil
	if _, err := SBOM("x", nil, info, stamp); err == nil || err.Error() != "read build settings of x: no GOOS or GOARCH recorded" {
		t.Errorf("no GOOS: %v", err)
	}
	info = fakeInfo()
	info.Deps[0].Sum = "h2:abc"
	if _, err := SBOM("x", nil, info, stamp); err == nil || err.Error() != `list modules of x: read checksum of cel.dev/cel-go@v0.33.2: checksum "h2:abc" is not an h1 hash` {
		t.Errorf("bad sum: %v", err)
	}
}

// TestUUIDv5 checks the serial numbers against Python's uuid.uuid5(uuid.NAMESPACE_URL, …).
func TestUUIDv5(t *testing.T) {
	for name, want := range map[string]string{
		"http://www.example.com/":                      "fcde3c85-2270-590f-9e7c-ee003d65e0e2",
		"https://github.com/wtcheck/wtcheck#sha256:00": "63714c0d-ffbc-59c8-a108-59de884bfd55",
	} {
		if got := uuidV5(urlNamespace, name); got != want {
			t.Errorf("uuidV5(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestSBOMValidatesAgainstCycloneDX16 validates, against the official CycloneDX 1.6 schema
// with its formats asserted, the SBOM of a synthetic build and of a real release binary's
// build information (testdata/wtcheck-linux-amd64.buildinfo, as debug/buildinfo read it; the
// release test validates the SBOMs of a fresh build too).
func TestSBOMValidatesAgainstCycloneDX16(t *testing.T) {
	schema := cyclonedxSchema(t)
	text, err := os.ReadFile(filepath.Join("testdata", "wtcheck-linux-amd64.buildinfo"))
	if err != nil {
		t.Fatal(err)
	}
	released, err := debug.ParseBuildInfo(string(text))
	if err != nil {
		t.Fatal(err)
	}
	for name, info := range map[string]*debug.BuildInfo{"synthetic": fakeInfo(), "release binary": released} {
		out, err := SBOM("wtcheck-linux-amd64", []byte("x"), info, stamp)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(out)))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: the SBOM is not valid CycloneDX 1.6: %v", name, err)
		}
	}
}

// cyclonedxSchema compiles the CycloneDX 1.6 schema, for the release test's SBOMs as well.
func cyclonedxSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, f := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
		file, err := os.Open(filepath.Join("testdata", "cyclonedx", f))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(file)
		file.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+f, doc); err != nil {
			t.Fatal(err)
		}
	}
	schema, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return schema
}
