//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// mkfifo makes a FIFO for a case: fed with segments once the command opens it for reading, or
// (reader) read to its end once the command opens it for writing. Either end stops with the
// case.
func (c *badCase) mkfifo(path string, segments []string, reader bool) error {
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		return err
	}
	var src io.Reader
	if !reader {
		r, err := c.segments(segments)
		if err != nil {
			return err
		}
		src = r
	}
	stop := make(chan struct{})
	c.undo = append(c.undo, func() {
		close(stop)
		// Open the other end once, without waiting, so that a goroutine blocked in open
		// returns: the command may never have opened the FIFO.
		flag := os.O_RDONLY | syscall.O_NONBLOCK
		if reader {
			flag = os.O_WRONLY | syscall.O_NONBLOCK
		}
		if f, err := os.OpenFile(path, flag, 0); err == nil {
			f.Close()
		}
	})
	go func() {
		if reader {
			f, err := os.Open(path)
			if err == nil {
				io.Copy(io.Discard, f)
				f.Close()
			}
			return
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		buf := make([]byte, 64<<10)
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, err := src.Read(buf)
			if n > 0 {
				if _, werr := f.Write(buf[:n]); werr != nil {
					return // the command stopped reading: a bound it keeps
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return nil
}

// readsMode000 reports whether this process reads a directory whatever its mode (root does).
func readsMode000(t *testing.T) bool {
	dir := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(dir, 0o000); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	_, err := os.ReadDir(dir)
	return err == nil
}

// haveFIFOs reports whether the system makes named pipes.
func haveFIFOs() bool { return true }
