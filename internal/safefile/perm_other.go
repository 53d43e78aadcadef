//go:build !unix

package safefile

import "os"

// writable reports whether the file's mode lets it be written.
func writable(_ string, info os.FileInfo) bool { return info.Mode().Perm()&0o222 != 0 }

// keepOwner does nothing where files have no Unix owner.
func keepOwner(*os.File, os.FileInfo) {}
