package gcheadroom

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		headroom, live uint64
		want           int
	}{
		{64 * mib, 0, 400},        // nothing live yet: five times nothing
		{64 * mib, 1 * mib, 400},  // a small heap grows to five times itself at most
		{64 * mib, 16 * mib, 400}, // the next collection after 64 MiB more
		{64 * mib, 20 * mib, 320},
		{64 * mib, 40 * mib, 160},
		{64 * mib, 64 * mib, 100},   // Go's default from here on
		{64 * mib, 1024 * mib, 100}, // never collected more often than Go's default
		{1 * mib, 64 * mib, 100},
		{0, 64 * mib, 100}, // no headroom: Go's default
		{1 << 62, 1, 400},  // no overflow
	} {
		if got := PercentFor(c.headroom, c.live); got != c.want {
			t.Errorf("PercentFor(%d MiB, %d MiB) = %d, want %d", c.headroom/mib, c.live/mib, got, c.want)
		}
	}
}

// gogc is the percent in force, as the runtime reports it.
func gogc(t *testing.T) int {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// waitFor collects until the percent in force is want: the cleanup that sets it runs on the
// runtime's own goroutine a little after each collection.
func waitFor(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for gogc(t) != want {
		if time.Now().After(deadline) {
			t.Fatalf("GOGC is %d after collections, want %d", gogc(t), want)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// TestStartPacesByWhatIsLive starts the pacer with a headroom of 32 MiB over a test binary's
// heap of a few megabytes, then keeps 64 MiB live: the percent follows, and stop puts back
// the one before.
func TestStartPacesByWhatIsLive(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	const headroom = 32 << 20
	stop := start(headroom)
	runtime.GC()
	if p := gogc(t); p <= 100 || p > MaxPercent {
		t.Errorf("GOGC is %d with a small heap, want over 100 and at most %d", p, MaxPercent)
	}
	held := make([]*[1 << 20]byte, 64)
	for i := range held {
		held[i] = new([1 << 20]byte)
	}
	waitFor(t, 100)
	runtime.KeepAlive(held)
	stop()
	if p := gogc(t); p != 100 {
		t.Errorf("GOGC is %d after stop, want the 100 in force before Start", p)
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond) // a cleanup still queued must not set it again
	runtime.GC()
	if p := gogc(t); p != 100 {
		t.Errorf("GOGC is %d after stop and a collection, want 100", p)
	}
	stop() // a second stop changes nothing
	if p := gogc(t); p != 100 {
		t.Errorf("GOGC is %d after a second stop, want 100", p)
	}
}

// TestStartLeavesAUsersChoice: GOGC or GOMEMLIMIT in the environment turns the pacer off.
func TestStartLeavesAUsersChoice(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, map[string]string{"GOGC": "100", "GOMEMLIMIT": "1GiB"}[env])
			stop := Start(32 << 20)
			defer stop()
			runtime.GC()
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
			if p := gogc(t); p != 100 {
				t.Errorf("GOGC is %d with %s set, want 100 left alone", p, env)
			}
		})
	}
}
