package plan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/schema"
)

// TestMain makes the test binary its own trial child: run as
// "plan.test trial", it runs the trial on stdin, as chanbench trial does.
func TestMain(m *testing.M) {
	if len(os.Args) == 2 && os.Args[1] == "trial" {
		if err := isolate.Child(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// events records what a Watcher is told, one word a call.
type events struct {
	mu      sync.Mutex
	got     []string
	samples int
}

func (e *events) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, s)
}

func (e *events) Start(i int) { e.add(fmt.Sprintf("start%d", i)) }
func (e *events) Sample(isolate.Status) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.samples++
}
func (e *events) Done(i int, t *schema.Trial) { e.add(fmt.Sprintf("done%d:%s", i, t.Outcome)) }
func (e *events) Skipped(i int)               { e.add(fmt.Sprintf("skipped%d", i)) }

func (e *events) String() string { return strings.Join(e.got, " ") }

// TestRunnerRunsThePlan runs a tiny sweep end to end, each trial in a
// child: every trial reaches its outcome in the plan's order, carries its
// place in the plan and its parameters, and loses nothing.
func TestRunnerRunsThePlan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	const messages = 2000
	p, err := New(Options{Workload: "steady", Impls: []string{"chan", "spsc"}, Count: 1, Sweep: "producers=1,2",
		Override: Override{Messages: new(int64(messages))}, MachineMemory: mem})
	if err != nil {
		t.Fatal(err)
	}
	var w events
	r := &Runner{Command: []string{os.Args[0], "trial"}, GOMAXPROCS: 7, Watch: &w}
	trials, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "start0 done0:ok start1 done1:ok start2 done2:ok skipped3"; w.String() != want {
		t.Errorf("watcher told\n %s\nwant\n %s", &w, want)
	}
	if len(trials) != len(p.Trials) {
		t.Fatalf("%d trials, want the plan's %d", len(trials), len(p.Trials))
	}
	for i, tr := range trials {
		pt := p.Trials[i]
		if tr.Impl != pt.Impl || tr.Workload != "steady" || tr.Repetition != 1 || tr.SweepKey != "producers" || tr.SweepValue != pt.SweepValue {
			t.Errorf("trial %d: %s %s rep %d %s=%s, want %s steady rep 1 producers=%s",
				i, tr.Impl, tr.Workload, tr.Repetition, tr.SweepKey, tr.SweepValue, pt.Impl, pt.SweepValue)
		}
		if fmt.Sprint(tr.Params.Producers) != pt.SweepValue || tr.Params.GOMAXPROCS != 7 || tr.Params.Capacity != 1024 || tr.Params.PolicyBy != "queue" {
			t.Errorf("trial %d: params %+v, want producers=%s, the default GOMAXPROCS 7, capacity 1024, blocking by the queue", i, tr.Params, pt.SweepValue)
		}
		info, _ := impls.Lookup(pt.Impl)
		if q := tr.Params.Queue; q == nil || q.Bounded != info.Bounded || q.MinCapacity != info.MinCapacity || q.MaxProducers != info.MaxProducers {
			t.Errorf("trial %d: queue facts %+v, want the registry's %+v recorded", i, q, info)
		}
		if pt.Skip != "" {
			if tr.Outcome != schema.Skipped || tr.Reason != pt.Skip || tr.MemLimitBytes != int64(pt.Spec.MemLimit) {
				t.Errorf("trial %d: %s (%s), budget %d, want skipped for %q", i, tr.Outcome, tr.Reason, tr.MemLimitBytes, pt.Skip)
			}
			continue
		}
		if tr.Outcome != schema.OK || tr.Sent != messages || tr.Received != messages || tr.Lost != 0 {
			t.Errorf("trial %d %s: %s (%s), sent %d, received %d, lost %d", i, tr.Impl, tr.Outcome, tr.Reason, tr.Sent, tr.Received, tr.Lost)
		}
	}
}

// TestRunnerStops checks the two ways a run ends early: cancelled, it
// returns ErrInterrupted and no trial; with a child that cannot start, it
// returns why, and tells the watcher.
func TestRunnerStops(t *testing.T) {
	p, err := New(Options{Workload: "steady", Impls: []string{"chan"}, Count: 2, MachineMemory: mem})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var w events
	trials, err := (&Runner{Command: []string{os.Args[0], "trial"}, Watch: &w}).Run(ctx, p)
	if !errors.Is(err, isolate.ErrInterrupted) || len(trials) != 0 || w.String() != "" {
		t.Errorf("cancelled: %d trials, %v, watcher told %q; want none, ErrInterrupted, nothing", len(trials), err, &w)
	}

	var w2 events
	missing := filepath.Join(t.TempDir(), "no-such-chanbench")
	trials, err = (&Runner{Command: []string{missing, "trial"}, Watch: &w2}).Run(context.Background(), p)
	if err == nil || errors.Is(err, isolate.ErrInterrupted) || len(trials) != 0 {
		t.Errorf("no child: %d trials, %v; want none and why", len(trials), err)
	}
	if want := "start0 done0:not started"; w2.String() != want {
		t.Errorf("watcher told %q, want %q", &w2, want)
	}
	if trials == nil {
		t.Error("trials is nil, want an empty list (results.json holds [] for it)")
	}

	// No one watching.
	if _, err := (&Runner{Command: []string{missing, "trial"}}).Run(context.Background(), p); err == nil {
		t.Error("no child and no watcher: no error")
	}
}
