// Command wtcheck checks children's social care case records against the rule packs of
// Working Together to Safeguard Children (the six editions from 2010 to 2026).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/wtcheck/wtcheck/internal/gcheadroom"
	"github.com/wtcheck/wtcheck/internal/safefile"
)

func main() {
	stopOnSignal()
	// A check keeps little from record to record, and Go's default would collect every few
	// dozen megabytes: the collector is paced by a fixed allowance instead (package
	// gcheadroom), unless GOGC or GOMEMLIMIT says otherwise.
	gcheadroom.Start(gcheadroom.Headroom)
	stop := profileCPU(os.Getenv("WTCHECK_CPUPROFILE"))
	code := execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err := profileAllocations(os.Getenv("WTCHECK_MEMPROFILE")); err != nil {
		fmt.Fprintf(os.Stderr, "wtcheck: WTCHECK_MEMPROFILE: %v\n", err)
		code = max(code, 2)
	}
	os.Exit(code)
}

// profileAllocations writes to path, when it is set, the profile of what the whole command
// allocated (every sample since it started, by bytes and by objects): where the collector's
// work comes from, beside the CPU profile.
func profileAllocations(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// profileCPU writes a CPU profile of the whole command to path, when it is set: the way to
// see where a real check's time goes (docs/performance.md), beside the package benchmarks.
// It returns the function that ends the profile.
func profileCPU(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wtcheck: WTCHECK_CPUPROFILE: %v\n", err)
		os.Exit(2)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "wtcheck: WTCHECK_CPUPROFILE: %v\n", err)
		}
	}
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
