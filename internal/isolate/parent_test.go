package isolate

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// TestRunnerRun runs helper children through the whole parent — start,
// events, watch, classify — one per outcome. Each takes well under a
// second: the slowest waits for a 200 ms timeout.
func TestRunnerRun(t *testing.T) {
	tests := []struct {
		helper  string
		limit   workloads.Size
		timeout time.Duration
		outcome schema.Outcome
		reason  string // a regular expression the whole reason matches
		check   func(t *testing.T, tr schema.Trial)
	}{
		{"ok", 64 * mb, 10 * time.Second, schema.OK, "", func(t *testing.T, tr schema.Trial) {
			if tr.Sent != 60 || tr.Received != 60 || tr.StartRSSBytes != 1000 || tr.RetainedRSSBytes != 3000 || tr.PeakRSSBytes < 3000 {
				t.Errorf("sent %d received %d, start %d retained %d peak %d RSS; want 60 60, 1000 3000 ≥3000",
					tr.Sent, tr.Received, tr.StartRSSBytes, tr.RetainedRSSBytes, tr.PeakRSSBytes)
			}
		}},
		{"lost", 64 * mb, 10 * time.Second, schema.Invalid,
			`messages 3 lost \(sent 60, received 57, dropped 0\)`, nil},
		{"panic", 64 * mb, 10 * time.Second, schema.Crash, `panic: queue broke`, func(t *testing.T, tr schema.Trial) {
			if tr.Sent != 30 || tr.Received != 27 {
				t.Errorf("sent %d received %d, want the last sample's 30 27", tr.Sent, tr.Received)
			}
		}},
		{"silent", 64 * mb, 10 * time.Second, schema.Crash, `child exited without a result`, nil},
		{"selfkill", 64 * mb, 10 * time.Second, schema.OOM, `the child stopped itself at 1\.5x its 64 MiB budget`, nil},
		{"hang", 64 * mb, 2 * time.Second, schema.Timeout, `still running after the 2s timeout`, func(t *testing.T, tr schema.Trial) {
			// AtMS counts from the child's start event, some time after
			// the process started and the timeout began. The timeout
			// leaves a child built with the race detector, on a loaded
			// machine, time to start and report before it is killed.
			if tr.Kill == nil || tr.Kill.AtMS <= 0 || tr.Kill.Depth != 3 || tr.Kill.OverBudgetBytes != 0 {
				t.Errorf("kill %+v, want one after the start, at depth 3, not over the budget", tr.Kill)
			}
		}},
		// The helper starts at about 10 MiB (27 MiB under the race
		// detector) and grows by 1 MiB a millisecond up to 64 MiB more.
		{"grow", 48 * mb, 10 * time.Second, schema.OOM,
			`RSS \d+\.\d\d MiB passed the 48 MiB budget after \d+\.\d\d s with 3 messages queued`, func(t *testing.T, tr schema.Trial) {
				if tr.Kill == nil || tr.Kill.RSSBytes <= 48*mb || tr.Kill.OverBudgetBytes <= 0 || tr.PeakRSSBytes < tr.Kill.RSSBytes {
					t.Errorf("kill %+v, peak %d; want a kill past the budget", tr.Kill, tr.PeakRSSBytes)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.helper, func(t *testing.T) {
			var mu sync.Mutex
			var statuses []Status
			r := &Runner{Command: helperCommand(t, tc.helper), OnSample: func(s Status) {
				mu.Lock()
				defer mu.Unlock()
				statuses = append(statuses, s)
			}}
			cfg := Config{Impl: "ring", Spec: workloads.Spec{Name: "burst", MemLimit: tc.limit, Timeout: workloads.Duration(tc.timeout)}}
			began := time.Now()
			tr, err := r.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(began); tr.Outcome == schema.Timeout && took < tc.timeout {
				t.Errorf("timed out after %v, before the %v timeout", took, tc.timeout)
			}
			if tr.Impl != "ring" || tr.Workload != "burst" || tr.MemLimitBytes != int64(tc.limit) {
				t.Errorf("trial of %q %q under %d, want ring burst %d", tr.Impl, tr.Workload, tr.MemLimitBytes, tc.limit)
			}
			if tr.Outcome != tc.outcome || !regexp.MustCompile("^"+tc.reason+"$").MatchString(tr.Reason) {
				t.Errorf("outcome %s %q, want %s %q", tr.Outcome, tr.Reason, tc.outcome, tc.reason)
			}
			if tc.check != nil {
				tc.check(t, tr)
			}
			mu.Lock()
			defer mu.Unlock()
			if tr.Kill != nil && tc.helper != "selfkill" && len(statuses) == 0 {
				t.Error("killed without a sample given to OnSample")
			}
		})
	}
}

// TestRunnerInterrupted checks that a cancelled run stops its child and
// reports no trial.
func TestRunnerInterrupted(t *testing.T) {
	r := &Runner{Command: helperCommand(t, "hang")}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	cfg := Config{Spec: workloads.Spec{MemLimit: 64 * mb, Timeout: workloads.Duration(10 * time.Second)}}
	tr, err := r.Run(ctx, cfg)
	if !errors.Is(err, ErrInterrupted) || tr.Outcome != "" {
		t.Errorf("Run = %s, %v; want no trial and ErrInterrupted", tr.Outcome, err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("Run returned after %v: the child was not stopped", d)
	}
}

// TestRunnerCannotStart checks the error for a child that cannot start.
func TestRunnerCannotStart(t *testing.T) {
	r := &Runner{Command: []string{"chanbench-no-such-command", "trial"}}
	_, err := r.Run(context.Background(), testConfig)
	if err == nil || !strings.HasPrefix(err.Error(), "start trial: ") || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Run = %v, want start trial: … wrapping exec.ErrNotFound", err)
	}
}
