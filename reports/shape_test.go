package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// A swept key is shown as the values the trials ran with, never as the
// base workload's value, in the terminal's shape and in report.md alike.
func TestRunShape(t *testing.T) {
	steady := workloads.Spec{Name: "steady", Producers: 4, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		Duration: workloads.Duration(time.Second)}
	slow := workloads.Spec{Name: "slow-consumer", Producers: 1, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		Rate: 200000, PayloadBytes: 1 << 10, Duration: workloads.Duration(8 * time.Second),
		Consumer: workloads.Consumer{ServiceTime: workloads.Duration(50 * time.Microsecond)}}
	burst := workloads.Spec{Name: "burst", Producers: 4, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		Burst: &workloads.Burst{Size: 25000, Every: workloads.Duration(time.Second)}, Duration: workloads.Duration(3 * time.Second)}
	for _, tc := range []struct {
		name  string
		spec  workloads.Spec
		sweep *schema.Sweep
		shape string
		// prose must be in report.md's workload line; stale must not.
		prose, stale string
	}{
		{"no sweep", steady, nil, steady.Shape(), "4 producers → 1 consumer", "swept"},
		{"producers", steady, &schema.Sweep{Key: "producers", Values: []string{"1", "2", "4", "8"}},
			"{1,2,4,8}P×1C flat out 16B values 1s", "1, 2, 4 or 8 producers (swept) → 1 consumer", "4 producers"},
		{"consumers", steady, &schema.Sweep{Key: "consumers", Values: []string{"1", "2"}},
			"4P×{1,2}C flat out 16B values 1s", "4 producers → 1 or 2 consumers (swept)", "→ 1 consumer,"},
		{"capacity", steady, &schema.Sweep{Key: "capacity", Values: []string{"1", "64", "1024"}},
			"4P×1C flat out 16B values 1s capacity {1,64,1024}", "capacity 1, 64 or 1024 (swept; policy block)", "capacity 1024 (policy"},
		{"payload", slow, &schema.Sweep{Key: "payload", Values: []string{"64", "1KiB", "1MiB"}},
			"1P×1C 200000/s each work 50µs {64B,1KiB,1MiB} 32B values 8s", "payload 64 B, 1 KiB or 1 MiB (swept)", "payload 1 KiB,"},
		{"rate", slow, &schema.Sweep{Key: "rate", Values: []string{"1000", "5e4"}},
			"1P×1C {1000,50000}/s each work 50µs 1KiB 32B values 8s", "1000 or 50k msg/s per producer (swept)", "200k msg/s"},
		{"rate under bursts", burst, &schema.Sweep{Key: "rate", Values: []string{"10", "20"}},
			"4P×1C burst 25000/1s 16B values 3s rate {10,20}/s", "rate 10 or 20 msg/s per producer (swept; the bursts set the pace)", ""},
		{"messages", workloads.Spec{Name: "one", Producers: 1, Consumers: 1, Messages: 1}, &schema.Sweep{Key: "consumers", Values: []string{"1", "2"}},
			"1P×{1,2}C flat out 16B values 1 msg", "1 producer → 1 or 2 consumers (swept), producers send as fast as the queue takes messages, 1 message in all", ""},
		{"value bytes", steady, &schema.Sweep{Key: "value_bytes", Values: []string{"16", "256"}},
			"4P×1C flat out {16,256}B values 1s", "queued values of 16 or 256 bytes (swept)", "values of 16 bytes,"},
		{"gomaxprocs", steady, &schema.Sweep{Key: "gomaxprocs", Values: []string{"1", "2"}},
			"4P×1C flat out 16B values 1s GOMAXPROCS {1,2}", "GOMAXPROCS 1 or 2 (swept)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &schema.Results{Workload: tc.spec, Sweep: tc.sweep, Count: 1}
			if got := RunShape(r); got != tc.shape {
				t.Errorf("RunShape = %q, want %q", got, tc.shape)
			}
			prose := describeWorkload(r)
			if !strings.Contains(prose, tc.prose) {
				t.Errorf("workload line %q lacks %q", prose, tc.prose)
			}
			if tc.stale != "" && strings.Contains(prose, tc.stale) {
				t.Errorf("workload line %q still says %q", prose, tc.stale)
			}
			r.Workload.Description = "The base workload."
			desc := newDocument(nil, []*schema.Results{r}).Runs[0].Description
			switch {
			case tc.sweep == nil && desc != r.Workload.Description:
				t.Errorf("description %q, want the workload's own", desc)
			case tc.sweep != nil && !strings.Contains(desc, "This run swept "+tc.sweep.Key+" over "):
				t.Errorf("description %q does not say what the run swept", desc)
			}
		})
	}
}

// With GOMAXPROCS swept, the machine lines do not claim the machine's own
// GOMAXPROCS held for the trials.
func TestMachineLineUnderGOMAXPROCSSweep(t *testing.T) {
	r := &schema.Results{Machine: fixtureMachine}
	if got := describeMachine(r); !strings.Contains(got, "GOMAXPROCS 2") {
		t.Errorf("describeMachine = %q, want the GOMAXPROCS", got)
	}
	r.Sweep = &schema.Sweep{Key: "gomaxprocs", Values: []string{"1", "2"}}
	if got := describeMachine(r) + machineLine(r); strings.Contains(got, "GOMAXPROCS") {
		t.Errorf("machine lines %q name one GOMAXPROCS for a run that swept it", got)
	}
}
