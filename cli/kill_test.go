//go:build linux

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chanbench/chanbench/schema"
)

// childOf waits up to 5 s for pid to have a child process and returns it.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		procs, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, p := range procs {
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			// pid (comm) state ppid …; comm may hold spaces, so split after ')'.
			s := string(b)
			f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
			if len(f) > 1 && f[1] == strconv.Itoa(pid) {
				c, _ := strconv.Atoi(strings.Fields(s)[0])
				return c
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("chanbench run started no trial child")
	return 0
}

func TestChildKilledFromOutsideIsAnOutcome(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(binary, "run", "--workload", "steady", "--impl", "chan", "--count", "3",
		"--duration", "1s", "--quiet", "--no-charts", "--out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	child := childOf(t, cmd.Process.Pid)
	time.Sleep(300 * time.Millisecond)
	syscall.Kill(child, syscall.SIGKILL)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit %v, want 1 (a crashed trial)", err)
	}
	r, err := schema.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trials) != 3 {
		t.Fatalf("%d trials, want the run to carry on through all 3", len(r.Trials))
	}
	if tr := r.Trials[0]; tr.Outcome != schema.Crash || !strings.Contains(tr.Reason, "killed") {
		t.Errorf("killed trial: %s %q, want crash naming the signal", tr.Outcome, tr.Reason)
	}
	for _, tr := range r.Trials[1:] {
		if tr.Outcome != schema.OK {
			t.Errorf("trial after the kill: %s", tr.Outcome)
		}
	}
}

func TestParentKilledLeavesNoHalfResultsAndNoChild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(binary, "run", "--workload", "steady", "--impl", "chan", "--count", "5",
		"--duration", "1s", "--quiet", "--no-charts", "--out", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	child := childOf(t, cmd.Process.Pid)
	cmd.Process.Kill()
	cmd.Wait()
	// The kernel kills the orphaned trial (Pdeathsig); give it a moment.
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/stat")
		if err != nil || strings.Contains(string(b), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("trial child %d outlived its killed parent", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if e.Name() == schema.FileName {
			if _, err := schema.Load(out); err != nil {
				t.Errorf("results.json after SIGKILL is not whole: %v", err)
			}
		} else if !strings.HasPrefix(e.Name(), ".") {
			t.Errorf("unexpected file %s after SIGKILL", e.Name())
		}
	}
}
