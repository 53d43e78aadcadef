package pgtest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// initdb costs most of a start (it bootstraps the catalogues in several single-user runs of
// the server); copying the cluster it made costs a fraction of it. A test binary whose
// TestMain calls Main runs initdb once and each Start copies the result. Without Main each
// Start runs initdb, because nothing would remove a template at the end.
var tmpl struct {
	sync.Mutex
	enabled bool   // Main is running the tests
	root    string // the template's directory (data/ inside), once made
	err     error  // why it could not be made
}

// Main runs the tests of a package that starts several servers, with one initdb for the
// whole test binary, and removes that template cluster at the end:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	tmpl.Lock()
	tmpl.enabled = true
	tmpl.Unlock()
	code := m.Run()
	tmpl.Lock()
	if tmpl.root != "" {
		os.RemoveAll(tmpl.root)
		tmpl.root = ""
	}
	tmpl.enabled = false
	tmpl.Unlock()
	return code
}

// template returns the data directory of the template cluster, making it on first use, or
// "" when Main is not running the tests.
func template(bindir string, cred *syscall.Credential) (string, error) {
	tmpl.Lock()
	defer tmpl.Unlock()
	if !tmpl.enabled {
		return "", nil
	}
	if tmpl.root == "" && tmpl.err == nil {
		root, err := makeDir(socketParent(), cred)
		if err == nil {
			err = initCluster(bindir, filepath.Join(root, "data"), cred)
			if err != nil {
				os.RemoveAll(root)
			}
		}
		tmpl.root, tmpl.err = root, err
		if err != nil {
			tmpl.root = ""
		}
	}
	if tmpl.err != nil {
		return "", tmpl.err
	}
	return filepath.Join(tmpl.root, "data"), nil
}

// copyTree copies the directory src to dst (which must not exist), keeping permissions,
// and gives everything to cred when it is not nil. A fresh cluster holds only directories
// and regular files.
func copyTree(src, dst string, cred *syscall.Credential) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if err := copyFile(path, target, info.Mode().Perm()); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s is neither a file nor a directory", path)
		}
		if cred != nil {
			return os.Lchown(target, int(cred.Uid), int(cred.Gid))
		}
		return nil
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// sweep removes what test binaries that died without their cleanups (killed, or crashed
// by a panic after them) left in parent: directories named after a process that no longer
// exists, and whose server, if it had one, is not running either. A directory of a live
// process, or with a live server in it, is left alone: it may be another run's.
func sweep(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), dirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || alive(pid) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			first, _, _ := strings.Cut(string(b), "\n")
			if pm, err := strconv.Atoi(strings.TrimSpace(first)); err == nil && alive(pm) {
				continue
			}
		}
		os.RemoveAll(dir)
	}
}

// alive reports whether a process with this id exists and has not exited: a zombie (an
// exited process its parent has not reaped, as a server whose test binary was killed may be
// until init reaps it) counts as dead.
func alive(pid int) bool {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		// pid (comm) state ...: the command may hold spaces and parentheses, the state
		// follows the last ")".
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 && i+2 < len(b) {
			return b[i+2] != 'Z' && b[i+2] != 'X'
		}
	}
	err := syscall.Kill(pid, 0) // signal 0 checks without sending
	return err == nil || errors.Is(err, syscall.EPERM)
}
