package reports

import (
	"strings"
	"testing"

	"github.com/chanbench/chanbench/workloads"
)

func TestTableMarksEstimatedBlockedTime(t *testing.T) {
	trial := func(impl string, every int, blocked float64) Trial {
		return Trial{Impl: impl, Repetition: 1, Outcome: OK, Sent: 100, Received: 100, Throughput: 1e6,
			Latency:         &Latency{Count: 100, SampleEvery: every, P50: 1000, P99: 2000, P999: 3000, Max: 4000},
			BlockedFraction: blocked}
	}
	r := &Results{Schema: Schema, Count: 1, Workload: workloads.Spec{Name: "steady", Producers: 4, Consumers: 1}}
	for _, tc := range []struct {
		trials   []Trial
		cells    []string
		footnote bool
	}{
		{[]Trial{trial("chan", 64, 0.4), trial("bounded", 1, 0.6)}, []string{"~40%", " 60%"}, true},
		{[]Trial{trial("chan", 1, 0.4), trial("list", 64, 0)}, []string{" 40%", " 0%"}, false},
	} {
		r.Trials = tc.trials
		var b strings.Builder
		WriteTable(&b, r)
		out := b.String()
		for _, c := range tc.cells {
			if !strings.Contains(out, c+"  ") {
				t.Errorf("table lacks blocked cell %q:\n%s", c, out)
			}
		}
		if got := strings.Contains(out, "~ blocked: estimated"); got != tc.footnote {
			t.Errorf("footnote shown %v, want %v:\n%s", got, tc.footnote, out)
		}
	}
}
