package ssd

import "strings"

// IsDatabaseURL reports whether an input names a database rather than a folder: a
// postgres:// or postgresql:// URL.
func IsDatabaseURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}
