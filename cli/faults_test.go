package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/internal/faults"
	"github.com/chanbench/chanbench/schema"
)

// TestFaultyQueuesAreReportedNotMeasured runs deliberately broken queues
// through the real chanbench run: each must end with the outcome that names
// its fault, never as a fast result, and the run must carry on to the
// correct queue after them and write a complete results file.
func TestFaultyQueuesAreReportedNotMeasured(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	bin := filepath.Join(t.TempDir(), "chanbench-faults")
	build := exec.Command("go", "build", "-tags", "chanbench_faults", "-o", bin, "../cmd/chanbench")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build with faults: %v\n%s", err, out)
	}
	var names []string
	for name := range faults.Names {
		names = append(names, name)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, "run", "--workload", "steady", "--impl", strings.Join(append(names, "chan"), ","),
		"--duration", "1s", "--timeout", "3s", "--mem-limit", "128MiB", "--quiet", "--no-charts", "--out", out)
	stdout, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit %v, want 1 (invalid and crashed trials)", err)
	}
	r, err := schema.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]schema.Trial{}
	for _, tr := range r.Trials {
		got[tr.Impl] = tr
	}
	for name, want := range faults.Names {
		tr, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: no trial in the results", name)
		case string(tr.Outcome) != want:
			t.Errorf("%s: outcome %s (%s), want %s", name, tr.Outcome, tr.Reason, want)
		case tr.Reason == "":
			t.Errorf("%s: %s without a reason", name, tr.Outcome)
		}
	}
	if got["fault-lose"].Lost != 1 || got["fault-dup"].Duplicates != 1 {
		t.Errorf("lose: lost %d; dup: duplicates %d; want 1 each", got["fault-lose"].Lost, got["fault-dup"].Duplicates)
	}
	if !strings.Contains(got["fault-panic"].Reason, "deliberate panic") {
		t.Errorf("crash reason %q does not keep the panic message", got["fault-panic"].Reason)
	}
	if k := got["fault-grow"].Kill; k == nil || got["fault-grow"].PeakRSSBytes > 128<<20*11/10 {
		t.Errorf("grow: kill %+v at %d MiB, want a kill within 10%% of the budget", k, got["fault-grow"].PeakRSSBytes>>20)
	}
	if c := got["chan"]; c.Outcome != schema.OK || c.Lost != 0 {
		t.Errorf("chan after the faulty queues: %s, lost %d", c.Outcome, c.Lost)
	}
	if !strings.Contains(string(stdout), "deliberate panic") {
		t.Errorf("table does not show the crash:\n%s", stdout)
	}
}
