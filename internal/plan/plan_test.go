package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/workloads"
)

// mem is the machine memory the tests plan for: enough that no built-in
// workload's budget is capped, the same on every machine.
const mem = 64 << 30

// trialNames spells each trial impl@value#repetition, "!" marking a skip.
func trialNames(p *Plan) string {
	var out []string
	for _, t := range p.Trials {
		s := t.Impl
		if t.SweepValue != "" {
			s += "@" + t.SweepValue
		}
		s += fmt.Sprintf("#%d", t.Repetition)
		if t.Skip != "" {
			s += "!"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   Options
		trials string                  // trialNames of the plan
		check  func(*testing.T, *Plan) // more checks, if any
	}{
		{
			name:   "one queue",
			opts:   Options{Workload: "steady", Impls: []string{"chan"}, Count: 1},
			trials: "chan#1",
		},
		{
			name:   "repetitions outermost, queues innermost",
			opts:   Options{Workload: "spsc", Impls: []string{"spsc", "chan"}, Count: 2},
			trials: "spsc#1 chan#1 spsc#2 chan#2",
		},
		{
			name:   "a sweep between repetitions and queues, skipping what a queue cannot serve",
			opts:   Options{Workload: "steady", Impls: []string{"chan", "spsc"}, Count: 2, Sweep: "producers=1,2"},
			trials: "chan@1#1 spsc@1#1 chan@2#1 spsc@2#1! chan@1#2 spsc@1#2 chan@2#2 spsc@2#2!",
			check: func(t *testing.T, p *Plan) {
				if p.Sweep == nil || p.Sweep.Key != "producers" || !slices.Equal(p.Sweep.Values, []string{"1", "2"}) {
					t.Errorf("sweep %+v, want producers 1,2", p.Sweep)
				}
				for _, tr := range p.Trials {
					if fmt.Sprint(tr.Spec.Producers) != tr.SweepValue {
						t.Errorf("%s@%s: %d producers", tr.Impl, tr.SweepValue, tr.Spec.Producers)
					}
				}
				if skip := p.Trials[3].Skip; !strings.Contains(skip, "spsc supports at most 1 producer") {
					t.Errorf("spsc at 2 producers skipped for %q", skip)
				}
				if p.Spec.Producers != 4 {
					t.Errorf("the plan's workload has %d producers, want steady's 4 (the sweep sets only the trials')", p.Spec.Producers)
				}
			},
		},
		{
			name:   "every queue when none is named",
			opts:   Options{Workload: "steady", Count: 1},
			trials: allOnce(func(name string) bool { return name == "spsc" }),
		},
		{
			name:   "all alone is every queue",
			opts:   Options{Workload: "spsc", Impls: []string{"all"}, Count: 1},
			trials: allOnce(func(string) bool { return false }),
		},
		{
			name:   "a capacity sweep from 0 skips the queues that need a slot",
			opts:   Options{Workload: "steady", Impls: []string{"chan", "ring"}, Count: 1, Sweep: "capacity=0,1"},
			trials: "chan@0#1 ring@0#1! chan@1#1 ring@1#1",
		},
		{
			name:   "value_bytes spelled as its flag",
			opts:   Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, Sweep: "value-bytes=16, 64"},
			trials: "chan@16#1 chan@64#1",
			check: func(t *testing.T, p *Plan) {
				if p.Sweep.Key != "value_bytes" || p.Trials[0].Spec.ValueBytes != 16 || p.Trials[1].Spec.ValueBytes != 64 {
					t.Errorf("sweep %+v, value bytes %d and %d", p.Sweep, p.Trials[0].Spec.ValueBytes, p.Trials[1].Spec.ValueBytes)
				}
			},
		},
		{
			name:   "gomaxprocs swept",
			opts:   Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, Sweep: "gomaxprocs=1,2"},
			trials: "chan@1#1 chan@2#1",
			check: func(t *testing.T, p *Plan) {
				if p.Trials[0].GOMAXPROCS != 1 || p.Trials[1].GOMAXPROCS != 2 {
					t.Errorf("GOMAXPROCS %d and %d, want 1 and 2", p.Trials[0].GOMAXPROCS, p.Trials[1].GOMAXPROCS)
				}
			},
		},
		{
			name: "overrides replace keys; messages replace the duration and reset the timeout",
			opts: Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, LatencyEvery: 8,
				Override: Override{Producers: new(2), Messages: new(int64(1000)), GOMAXPROCS: new(3)}},
			trials: "chan#1",
			check: func(t *testing.T, p *Plan) {
				s := p.Trials[0].Spec
				if s.Producers != 2 || s.Messages != 1000 || s.Duration != 0 || s.Timeout != s.DefaultTimeout() {
					t.Errorf("spec %+v, want 2 producers, 1000 messages, no duration, the default timeout", s)
				}
				if p.Trials[0].GOMAXPROCS != 3 || p.LatencyEvery != 8 {
					t.Errorf("GOMAXPROCS %d, latency every %d, want 3 and 8", p.Trials[0].GOMAXPROCS, p.LatencyEvery)
				}
			},
		},
		{
			name:   "a timeout given stays",
			opts:   Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, Override: Override{Duration: new(workloads.Duration(5e8)), Timeout: new(workloads.Duration(9e9))}},
			trials: "chan#1",
			check: func(t *testing.T, p *Plan) {
				if s := p.Spec; s.Duration != 5e8 || s.Timeout != 9e9 {
					t.Errorf("duration %v timeout %v, want 500ms and 9s", s.Duration, s.Timeout)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.MachineMemory = mem
			p, err := New(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := trialNames(p); got != tc.trials {
				t.Errorf("trials\n got %s\nwant %s", got, tc.trials)
			}
			if p.Count != tc.opts.Count || len(p.Trials) != p.Count*len(p.Impls)*max(1, len(sweepValues(p))) {
				t.Errorf("%d trials of %d queues × %d repetitions × %d values", len(p.Trials), len(p.Impls), p.Count, len(sweepValues(p)))
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

// allOnce spells one repetition of every registered queue, marking those
// skip says are skipped.
func allOnce(skip func(string) bool) string {
	var out []string
	for _, name := range impls.Names() {
		s := name + "#1"
		if skip(name) {
			s += "!"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func sweepValues(p *Plan) []string {
	if p.Sweep == nil {
		return nil
	}
	return p.Sweep.Values
}

// TestNewRefuses checks that options no run can follow are refused, each
// with an error that names the option.
func TestNewRefuses(t *testing.T) {
	steady := func(o Options) Options {
		o.Workload = "steady"
		o.Count = max(o.Count, 1)
		return o
	}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"unknown workload", Options{Workload: "nope", Count: 1}, `workload "nope": not a built-in`},
		{"zero count", Options{Workload: "steady"}, "--count: 0, want at least 1"},
		{"negative latency-every", steady(Options{LatencyEvery: -1}), "--latency-every: -1 is negative"},
		{"negative gomaxprocs", steady(Options{Override: Override{GOMAXPROCS: new(-2)}}), "--gomaxprocs: -2 is negative"},
		{"unknown queue", steady(Options{Impls: []string{"chan", "nope"}}), `--impl: unknown queue "nope"`},
		{"queue given twice", steady(Options{Impls: []string{"chan", "ring", "chan"}}), "--impl: chan given twice"},
		{"all beside a queue", steady(Options{Impls: []string{"all", "chan"}}), "give it alone"},
		{"a queue named that serves nothing", steady(Options{Impls: []string{"spsc"}}), "spsc supports at most 1 producer"},
		{"a policy that can never act", steady(Options{Impls: []string{"list", "segment"}, Override: Override{Policy: new(impls.DropNewest)}}),
			"--policy drop-newest: list and segment are unbounded"},
		{"messages and duration", steady(Options{Override: Override{Messages: new(int64(10)), Duration: new(workloads.Duration(1e9))}}), "--messages and --duration"},
		{"zero messages", steady(Options{Override: Override{Messages: new(int64(0))}}), "--messages: 0, want at least 1"},
		{"zero duration", steady(Options{Override: Override{Duration: new(workloads.Duration(0))}}), "--duration: 0"},
		{"value size not offered", steady(Options{Override: Override{ValueBytes: new(48)}}), "--value-bytes: 48, want one of 16, 32, 64"},
		{"an override the workload cannot take", steady(Options{Override: Override{Consumers: new(0)}}), "workload steady: consumers: 0"},
		{"bad sweep key", steady(Options{Sweep: "colour=1,2"}), `--sweep: "colour=1,2", want KEY=V1,V2,…`},
		{"sweep without values", steady(Options{Sweep: "producers= ,"}), "--sweep: no values for producers"},
		{"sweep value given twice", steady(Options{Sweep: "producers=1,2,1"}), "--sweep: producers value 1 given twice"},
		{"sweep value not a number", steady(Options{Sweep: "producers=1,x"}), "--sweep: producers=x: not a whole number"},
		{"sweep value the workload cannot take", steady(Options{Sweep: "consumers=1,0"}), "--sweep: consumers=0: consumers: 0"},
		{"swept value size 0", steady(Options{Sweep: "value_bytes=16,0"}), "value_bytes=0: 0, want one of"},
		{"swept gomaxprocs 0", steady(Options{Sweep: "gomaxprocs=0"}), "gomaxprocs=0: want at least 1"},
		{"swept rate not a number", steady(Options{Sweep: "rate=fast"}), "rate=fast: not a number"},
		{"a swept key also overridden", steady(Options{Sweep: "producers=1,2", Override: Override{Producers: new(3)}}), "--producers and --sweep producers: the sweep sets producers"},
		{"a swept value size also overridden", steady(Options{Sweep: "value_bytes=16,64", Override: Override{ValueBytes: new(32)}}), "--value-bytes and --sweep value_bytes"},
		{"swept gomaxprocs also given", steady(Options{Sweep: "gomaxprocs=1,2", Override: Override{GOMAXPROCS: new(0)}}), "--gomaxprocs and --sweep gomaxprocs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.MachineMemory = mem
			p, err := New(tc.opts)
			if err == nil {
				t.Fatalf("planned %d trials, want an error containing %q", len(p.Trials), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, tc.want)
			}
		})
	}
}

// TestNewCapsTheBudget checks that the machine's memory reaches the
// workload: a default budget above half of it is capped, and a budget
// given above half is refused.
func TestNewCapsTheBudget(t *testing.T) {
	p, err := New(Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, MachineMemory: 512 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.MemLimit != 256<<20 || p.Trials[0].Spec.MemLimit != 256<<20 {
		t.Errorf("budget %v on a 512MiB machine, want 256MiB", p.Spec.MemLimit)
	}
	_, err = New(Options{Workload: "steady", Impls: []string{"chan"}, Count: 1, MachineMemory: 512 << 20,
		Override: Override{MemLimit: new(workloads.Size(300 << 20))}})
	if err == nil || !strings.Contains(err.Error(), "more than half of this machine's") {
		t.Errorf("a 300MiB budget on a 512MiB machine: %v, want a refusal", err)
	}
}
