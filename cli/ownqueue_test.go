package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chanbench/chanbench/schema"
)

// TestOwnQueueExample builds examples/ownqueue, a separate module that
// registers a queue of its own and hands over to Main, and runs it: the
// queue must go through the real harness beside a built-in one.
func TestOwnQueueExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds another module and runs real trials")
	}
	bin := filepath.Join(t.TempDir(), "ownqueue")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "examples", "ownqueue")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build examples/ownqueue: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "out")
	// One burst of 25,000 messages from each of the 4 producers, counted
	// rather than timed, so that a slow machine sends every one of them.
	run := exec.Command(bin, "run", "--workload", "burst", "--impl", "slice,ring",
		"--messages", "100000", "--idle", "100ms", "--quiet", "--out", out)
	if msg, err := run.CombinedOutput(); err != nil {
		t.Fatalf("ownqueue run: %v\n%s", err, msg)
	}
	r, err := schema.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]schema.Trial{}
	for _, tr := range r.Trials {
		got[tr.Impl] = tr
	}
	for _, name := range []string{"slice", "ring"} {
		tr, ok := got[name]
		if !ok {
			t.Errorf("%s missing from the results", name)
			continue
		}
		// The unbounded slice takes the whole burst at once; ring pushes
		// back; both must deliver every message.
		if tr.Outcome != schema.OK || tr.Lost != 0 || tr.Sent != 100000 || tr.Received != 100000 || tr.Series.Len() == 0 {
			t.Errorf("%s: %s received %d lost %d samples %d", name, tr.Outcome, tr.Received, tr.Lost, tr.Series.Len())
		}
	}
	if _, err := os.Stat(filepath.Join(out, "memory.png")); err != nil {
		t.Errorf("no charts for a registered queue: %v", err)
	}
}
