package reports

import (
	"testing"

	"github.com/chanbench/chanbench/schema"
)

// Whether a growing queue counts as unbounded is read from the facts the
// trial recorded, whatever the registry of this binary says of its name;
// results without them fall back to the depth passing twice the capacity.
func TestGrowthReadsRecordedFacts(t *testing.T) {
	growing := func(queue *schema.QueueFacts, endDepth int64) *schema.Trial {
		tr := &schema.Trial{Impl: "chan", Outcome: schema.OK, Params: schema.Params{Capacity: 1024, Queue: queue}}
		for i := int64(0); i < 10; i++ {
			d := (i + 1) * endDepth / 10
			tr.Series.Append(float64(100*i), 1<<20+d*64, 0, d, 0, 0)
		}
		return tr
	}
	m := schema.Machine{MemoryBytes: 8 << 30}
	for _, tc := range []struct {
		name  string
		trial *schema.Trial
		want  bool
	}{
		{"recorded unbounded, though chan is bounded here", growing(&schema.QueueFacts{Bounded: false}, 5000), true},
		{"recorded bounded", growing(&schema.QueueFacts{Bounded: true}, 5000), false},
		{"no facts, depth past twice the capacity", growing(nil, 5000), true},
		{"no facts, depth within twice the capacity", growing(nil, 2000), false},
	} {
		if got := measureGrowth(tc.trial, m).Unbounded; got != tc.want {
			t.Errorf("%s: Unbounded = %v, want %v", tc.name, got, tc.want)
		}
	}
}
