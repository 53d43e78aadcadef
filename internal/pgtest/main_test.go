package pgtest

import (
	"os"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// BenchmarkPostgresStart measures a start and a stop: initdb (or, with Main, the copy of
// its template), the server's start until it accepts connections, the shutdown and the
// removal. cpu-ms/op is the CPU time of the child processes (initdb, postgres and its
// backends), which on a busy machine says more than the wall time.
func BenchmarkPostgresStart(b *testing.B) {
	bindir, err := BinDir()
	if err != nil {
		b.Skip(err)
	}
	for _, withTemplate := range []bool{false, true} {
		name := "initdb"
		if withTemplate {
			name = "template"
		}
		b.Run(name, func(b *testing.B) {
			tmpl.Lock()
			enabled := tmpl.enabled
			tmpl.enabled = withTemplate
			tmpl.Unlock()
			defer func() { tmpl.Lock(); tmpl.enabled = enabled; tmpl.Unlock() }()
			if withTemplate { // made before the clock starts: once per binary
				if s, err := start(bindir); err != nil {
					b.Fatal(err)
				} else {
					s.Stop()
				}
			}
			var before, after syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_CHILDREN, &before)
			b.ResetTimer()
			for b.Loop() {
				s, err := start(bindir)
				if s != nil {
					s.Stop()
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			syscall.Getrusage(syscall.RUSAGE_CHILDREN, &after)
			cpu := func(r syscall.Rusage) float64 {
				return float64(r.Utime.Nano()+r.Stime.Nano()) / 1e6
			}
			b.ReportMetric((cpu(after)-cpu(before))/float64(b.N), "cpu-ms/op")
		})
	}
}
