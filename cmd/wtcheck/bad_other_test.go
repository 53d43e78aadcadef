//go:build !unix

package main

import (
	"errors"
	"testing"
)

func (c *badCase) mkfifo(string, []string, bool) error {
	return errors.New("no FIFOs on this system")
}

func readsMode000(*testing.T) bool { return true }

func haveFIFOs() bool { return false }
