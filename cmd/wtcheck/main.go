// Command wtcheck checks children's social care case records against the rule packs of
// Working Together to Safeguard Children (the six editions from 2010 to 2026).
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/wtcheck/wtcheck/internal/safefile"
)

func main() {
	stopOnSignal()
	os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// stopOnSignal makes SIGINT and SIGTERM remove the temporary file of an output being written
// (a report can take minutes, and its temporary file hundreds of megabytes) before the process
// ends, with the status a shell gives a process the signal killed: 128 + its number.
func stopOnSignal() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		safefile.Interrupt()
		code := 130
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		os.Exit(code)
	}()
}
