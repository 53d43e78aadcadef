//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// writable reports whether the user may write the file: its mode has a write bit (so a file
// made read-only stays so even for root, whom access(2) lets write anything) and access(2)
// agrees.
func writable(path string, info os.FileInfo) bool {
	return info.Mode().Perm()&0o222 != 0 && syscall.Access(path, 2 /* W_OK */) == nil
}

// keepOwner gives the temporary file the owner and group of the file it replaces, where the
// system permits (root may; others may keep their own group at most). Failure is not an
// error: the content is what the user asked for.
func keepOwner(tmp *os.File, target os.FileInfo) {
	st, ok := target.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if st.Uid != uint32(os.Getuid()) || st.Gid != uint32(os.Getgid()) {
		_ = tmp.Chown(int(st.Uid), int(st.Gid))
	}
}
