package main

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Stamp is what the release build stamped into every binary: the version, the commit and
// the commit's date. The SBOM is dated by the commit, never by the clock, so that building
// the same commit twice gives the same bytes.
type Stamp struct {
	Version string
	Commit  string
	Date    time.Time
}

// The CycloneDX 1.6 JSON document, only the parts an SBOM of a Go binary fills. The field
// order is the order written, so the same binary always gives the same bytes.
type (
	bom struct {
		Schema       string        `json:"$schema"`
		BOMFormat    string        `json:"bomFormat"`
		SpecVersion  string        `json:"specVersion"`
		SerialNumber string        `json:"serialNumber"`
		Version      int           `json:"version"`
		Metadata     metadata      `json:"metadata"`
		Components   []component   `json:"components"`
		Dependencies []dependency  `json:"dependencies"`
		Compositions []composition `json:"compositions"`
	}
	metadata struct {
		Timestamp string    `json:"timestamp"`
		Tools     tools     `json:"tools"`
		Component component `json:"component"`
	}
	tools struct {
		Components []component `json:"components"`
	}
	component struct {
		BOMRef             string        `json:"bom-ref,omitempty"`
		Type               string        `json:"type"`
		Name               string        `json:"name"`
		Version            string        `json:"version,omitempty"`
		Description        string        `json:"description,omitempty"`
		Scope              string        `json:"scope,omitempty"`
		Hashes             []hash        `json:"hashes,omitempty"`
		PURL               string        `json:"purl,omitempty"`
		ExternalReferences []externalRef `json:"externalReferences,omitempty"`
		Properties         []property    `json:"properties,omitempty"`
	}
	hash struct {
		Alg     string `json:"alg"`
		Content string `json:"content"`
	}
	externalRef struct {
		URL  string `json:"url"`
		Type string `json:"type"`
	}
	property struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	dependency struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn,omitempty"`
	}
	composition struct {
		Aggregate    string   `json:"aggregate"`
		Dependencies []string `json:"dependencies"`
	}
)

// repoURL is where wtcheck's source is published, for the SBOM's VCS reference.
const repoURL = "https://github.com/wtcheck/wtcheck"

// SBOM writes the CycloneDX 1.6 SBOM of one binary: the application itself (named by its
// file, hashed, with the build settings the Go linker recorded) and every module linked into
// it, the Go standard library included, each with the SHA-256 the module's go.sum hash
// carries. It reads only the binary's own build information, so it lists exactly what was
// linked: not the modules go.mod needs for tests and tools.
func SBOM(name string, binary []byte, info *debug.BuildInfo, st Stamp) ([]byte, error) {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	goos, goarch := settings["GOOS"], settings["GOARCH"]
	if goos == "" || goarch == "" {
		return nil, fmt.Errorf("read build settings of %s: no GOOS or GOARCH recorded", name)
	}
	qualifiers := "?goarch=" + goarch + "&goos=" + goos + "&type=module"
	sum := sha256.Sum256(binary)

	mainRef := purl(info.Main.Path, st.Version) + qualifiers + "#" + strings.TrimPrefix(strings.TrimPrefix(info.Path, info.Main.Path), "/")
	app := component{
		BOMRef:             mainRef,
		Type:               "application",
		Name:               info.Main.Path,
		Version:            st.Version,
		Hashes:             []hash{{"SHA-256", hex.EncodeToString(sum[:])}},
		PURL:               mainRef,
		ExternalReferences: []externalRef{{repoURL, "vcs"}},
		Properties: []property{
			{"cdx:gomod:binary:name", name},
			{"cdx:gomod:build:env:GOVERSION", info.GoVersion},
		},
	}
	for _, k := range []struct{ setting, prop string }{
		{"CGO_ENABLED", "build:env:CGO_ENABLED"}, {"GOARCH", "build:env:GOARCH"}, {"GOOS", "build:env:GOOS"},
		{"GOAMD64", "build:env:GOAMD64"}, {"GOARM64", "build:env:GOARM64"},
		{"-compiler", "build:compiler"}, {"-trimpath", "build:trimpath"},
	} {
		if v, ok := settings[k.setting]; ok {
			app.Properties = append(app.Properties, property{"cdx:gomod:" + k.prop, v})
		}
	}
	app.Properties = append(app.Properties,
		property{"cdx:gomod:build:vcs", "git"},
		property{"cdx:gomod:build:vcs:revision", st.Commit},
		property{"cdx:gomod:build:vcs:time", st.Date.UTC().Format(time.RFC3339)})
	slices.SortStableFunc(app.Properties, func(a, b property) int { return strings.Compare(a.Name, b.Name) })

	// The standard library is listed too: vulnerability scanners match Go's own advisories
	// against it.
	std := component{Type: "library", Name: "std", Version: info.GoVersion, Scope: "required"}
	std.PURL = purl("std", info.GoVersion) + qualifiers
	std.BOMRef = std.PURL
	components := []component{std}
	for _, m := range info.Deps {
		c, err := moduleComponent(m, qualifiers)
		if err != nil {
			return nil, fmt.Errorf("list modules of %s: %w", name, err)
		}
		components = append(components, c)
	}
	slices.SortFunc(components, func(a, b component) int { return strings.Compare(a.BOMRef, b.BOMRef) })

	refs := make([]string, len(components))
	deps := []dependency{{Ref: app.BOMRef}}
	for i, c := range components {
		refs[i] = c.BOMRef
		deps = append(deps, dependency{Ref: c.BOMRef})
	}
	deps[0].DependsOn = refs

	doc := bom{
		Schema:       "http://cyclonedx.org/schema/bom-1.6.schema.json",
		BOMFormat:    "CycloneDX",
		SpecVersion:  "1.6",
		SerialNumber: "urn:uuid:" + uuidV5(urlNamespace, repoURL+"#sha256:"+hex.EncodeToString(sum[:])),
		Version:      1,
		Metadata: metadata{
			Timestamp: st.Date.UTC().Format(time.RFC3339),
			Tools: tools{Components: []component{{
				Type:        "application",
				Name:        "wtcheck-release",
				Version:     st.Version,
				Description: "tools/release of " + info.Main.Path + ": the SBOM from the binary's Go build information",
			}}},
			Component: app,
		},
		Components:   components,
		Dependencies: deps,
		// The binary records which modules it links, not which needs which: the application's
		// list is complete, the edges between the modules are unknown.
		Compositions: []composition{
			{Aggregate: "complete", Dependencies: []string{app.BOMRef}},
			{Aggregate: "unknown", Dependencies: refs},
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode SBOM of %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// moduleComponent describes one linked module; a replaced module is described by what
// replaced it, since that is the code in the binary.
func moduleComponent(m *debug.Module, qualifiers string) (component, error) {
	path, version, sum := m.Path, m.Version, m.Sum
	var props []property
	if m.Replace != nil {
		path, version, sum = m.Replace.Path, m.Replace.Version, m.Replace.Sum
		props = append(props, property{"cdx:gomod:replaces", m.Path + "@" + m.Version})
	}
	c := component{Type: "library", Name: path, Version: version, Scope: "required", Properties: props}
	c.PURL = purl(path, version) + qualifiers
	c.BOMRef = c.PURL
	if sum != "" {
		h, err := h1SHA256(sum)
		if err != nil {
			return component{}, fmt.Errorf("read checksum of %s@%s: %w", path, version, err)
		}
		c.Hashes = []hash{{"SHA-256", h}}
	}
	return c, nil
}

// h1SHA256 turns a go.sum hash ("h1:" and base64) into the hex SHA-256 it is: the hash of
// the module's file tree, as the Go checksum database records it.
func h1SHA256(sum string) (string, error) {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return "", fmt.Errorf("checksum %q is not an h1 hash", sum)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != sha256.Size {
		return "", fmt.Errorf("checksum %q is not a base64 SHA-256", sum)
	}
	return hex.EncodeToString(raw), nil
}

// purl is the package URL of a Go module version, without qualifiers. Each path segment
// and the version are percent-encoded as the purl specification asks ("+incompatible"
// becomes "%2Bincompatible").
func purl(modulePath, version string) string {
	segs := strings.Split(modulePath, "/")
	for i, s := range segs {
		segs[i] = purlEscape(s)
	}
	out := "pkg:golang/" + strings.Join(segs, "/")
	if version != "" {
		out += "@" + purlEscape(version)
	}
	return out
}

func purlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// urlNamespace is RFC 9562's namespace for names that are URLs.
var urlNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuidV5 is the name-based (SHA-1) UUID of RFC 9562: the serial number of an SBOM is derived
// from the binary's hash, so it names that binary and does not change between builds.
func uuidV5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
