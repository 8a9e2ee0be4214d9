package reports

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

func TestTableShowsOnlyMeasuredBlockedTime(t *testing.T) {
	trial := func(impl string, every int, blocked float64) schema.Trial {
		return schema.Trial{Impl: impl, Repetition: 1, Outcome: schema.OK, Sent: 100, Received: 100, Throughput: 1e6,
			Latency:         &schema.Latency{Count: 100, SampleEvery: every, P50: 1000, P99: 2000, P999: 3000, Max: 4000},
			BlockedFraction: blocked, BlockedCI95: 0.1}
	}
	by := func(tr schema.Trial, policyBy string) schema.Trial { tr.Params.PolicyBy = policyBy; return tr }
	r := &schema.Results{Schema: schema.Schema, Count: 1, Workload: workloads.Spec{Name: "steady", Producers: 4, Consumers: 1}}
	for _, tc := range []struct {
		trials   []schema.Trial
		rows     []string // the queue's row in the memory table, spaces squeezed
		footnote bool
	}{
		{[]schema.Trial{trial("chan", 64, 0.4), trial("bounded", 1, 0.6)}, []string{"chan 12 B 0 B – 0 0", "bounded 12 B 0 B 60% 0 0"}, true},
		{[]schema.Trial{trial("chan", 1, 0.4), trial("list", 64, 0)}, []string{"chan 12 B 0 B 40% 0 0", "list 12 B 0 B 0% 0 0"}, false},
		// Trials that record who carries out the policy: a sampled 0 is an
		// estimate for a bounded queue, exact for an unbounded one.
		{[]schema.Trial{by(trial("ring", 64, 0), "queue"), by(trial("segment", 64, 0), "none")}, []string{"ring 12 B 0 B – 0 0", "segment 12 B 0 B 0% 0 0"}, true},
	} {
		r.Trials = tc.trials
		for i := range r.Trials {
			r.Trials[i].PeakRSSBytes = 12
		}
		var b strings.Builder
		WriteTable(&b, r)
		out := b.String()
		_, mem, _ := strings.Cut(out, "peak RSS")
		var lines []string
		for _, l := range strings.Split(mem, "\n") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		for _, want := range tc.rows {
			if !slices.Contains(lines, want) {
				t.Errorf("memory table lacks the row %q:\n%s", want, out)
			}
		}
		if got := strings.Contains(out, "blocked –: only one send in 64 was timed"); got != tc.footnote {
			t.Errorf("footnote shown %v, want %v:\n%s", got, tc.footnote, out)
		}
	}
}

func TestTableFitsEightyColumns(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", schema.FileName))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no results in testdata: %v", err)
	}
	for _, path := range dirs {
		r, err := schema.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		WriteTable(&b, r)
		for _, line := range strings.Split(b.String(), "\n") {
			if n := utf8.RuneCountInString(line); n > TableWidth {
				t.Errorf("%s: a line of %d characters:\n%s", path, n, line)
			}
		}
		if head, _, _ := strings.Cut(b.String(), "\n"); r.Sweep != nil && r.Sweep.Key == "producers" &&
			strings.Contains(head, fmt.Sprintf("%dP", r.Workload.Producers)) {
			t.Errorf("%s: a sweep over producers headed with one count of them: %s", path, head)
		}
		for _, row := range Summarize(r) {
			if !strings.Contains(b.String(), row.Impl) {
				t.Errorf("%s: %s missing from the table", path, row.Impl)
			}
		}
	}
}

func TestTableLeavesOutColumnsInTheStatedOrder(t *testing.T) {
	tab := &textTable{head: []string{"queue", "aaaaaaaaaaaaaaaaaaaa", "p99.9", "max", "p50"}}
	tab.add([]string{"chan", strings.Repeat("x", 55), strings.Repeat("y", 12), strings.Repeat("z", 12), "1"})
	var b strings.Builder
	left := tab.write(&b, []string{"p99.9", "max", "p50"})
	if strings.Join(left, ",") != "p99.9,max" || strings.Contains(b.String(), "y") || strings.Contains(b.String(), "z") {
		t.Errorf("left out %v:\n%s", left, b.String())
	}
}

func TestTablePolicyNotes(t *testing.T) {
	trial := func(impl, by string, blocked float64, dropped int64) schema.Trial {
		return schema.Trial{Impl: impl, Repetition: 1, Outcome: schema.OK, Sent: 100, Received: 100 - dropped, Dropped: dropped, Throughput: 1e6,
			Params:          schema.Params{Policy: "reject", PolicyBy: by},
			Latency:         &schema.Latency{Count: 100, SampleEvery: 1, P50: 1000, P99: 2000, P999: 3000, Max: 4000},
			IntendedLatency: &schema.Latency{Count: 100, SampleEvery: 1, P99: 5000},
			BlockedFraction: blocked}
	}
	r := &schema.Results{Schema: schema.Schema, Count: 1, Workload: workloads.Spec{Name: "burst", Producers: 4, Consumers: 1, Policy: impls.Reject},
		Trials: []schema.Trial{trial("chan", "producer", 0, 10), trial("ring", "producer", 0, 12), trial("bounded", "queue", 0, 11), trial("list", "none", 0, 0)}}
	var b strings.Builder
	WriteTable(&b, r)
	out := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"policy reject: bounded applies it itself; for chan and ring the producer drops what TrySend refuses; list is unbounded and never full.",
		"p99 sched: latency from the time the schedule meant each message to be sent.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(out, "blocked counts") {
		t.Errorf("p99 sched attributed to blocking where nothing blocked:\n%s", b.String())
	}
}

func TestTableLostUnknownForKilledTrials(t *testing.T) {
	r := loadFixture(t, "slow-consumer")
	var b strings.Builder
	WriteTable(&b, r)
	_, mem, _ := strings.Cut(b.String(), "peak RSS")
	_, mem, _ = strings.Cut(mem, "\n")   // the header's rest
	mem, _, _ = strings.Cut(mem, "\n\n") // the rows, not the notes
	for _, line := range strings.Split(mem, "\n") {
		f := strings.Fields(line)
		want := "0"
		if f[0] == "list" || f[0] == "segment" || f[0] == "pump" {
			want = units.Missing // killed at the budget: nobody counted what was lost
		}
		if f[len(f)-1] != want {
			t.Errorf("%s: lost %q, want %q:\n%s", f[0], f[len(f)-1], want, b.String())
		}
	}
}

func TestTableDropOldestNote(t *testing.T) {
	r := &schema.Results{Schema: schema.Schema, Count: 1, Workload: workloads.Spec{Name: "burst", Producers: 4, Consumers: 1, Policy: impls.DropOldest},
		Trials: []schema.Trial{{Impl: "chan", Repetition: 1, Outcome: schema.OK, Sent: 10, Received: 8, Dropped: 2, Throughput: 1,
			Params: schema.Params{Policy: "drop-oldest", PolicyBy: "producer"}}}}
	var b strings.Builder
	WriteTable(&b, r)
	if out := strings.Join(strings.Fields(b.String()), " "); !strings.Contains(out, "for chan the producer takes the oldest value out with TryRecv") {
		t.Errorf("drop-oldest note:\n%s", b.String())
	}
}
