package plotkit

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"gonum.org/v1/plot"
)

func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// labels lists the labelled ticks as "value=label".
func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, fmt.Sprintf("%g=%s", t.Value, t.Label))
		}
	}
	return out
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ticker   plot.Ticker
		min, max float64
		want     []string
		count    int // ticks in all, labelled or not
	}{
		{"human: steps of 2 from 0 to 10", HumanTicks{Format: format}, 0, 10, []string{"0=0", "2=2", "4=4", "6=6", "8=8", "10=10"}, 11},
		{"human: steps of 2.5", HumanTicks{Format: format}, 0, 14, []string{"0=0", "2.5=2.5", "5=5", "7.5=7.5", "10=10", "12.5=12.5"}, 12},
		{"human: a half step below the first label", HumanTicks{Format: format}, 0.5, 4, []string{"1=1", "2=2", "3=3", "4=4"}, 8},
		{"log: three decades, powers of ten only", LogTicks{Format: format}, 1, 1000, []string{"1=1", "10=10", "100=100", "1000=1000"}, 28},
		{"log: one decade, 2 and 5 too", LogTicks{Format: format}, 10, 100, []string{"10=10", "20=20", "50=50", "100=100"}, 10},
		{"log: no power of ten, every tick", LogTicks{Format: format}, 3, 4, []string{"3=3", "4=4"}, 2},
		{"percentiles to 99.9%", PercentileTicks(1000), 1, 1000, []string{"2=50%", "10=90%", "100=99%", "1000=99.9%"}, 5},
		{"percentiles to 99% at least", PercentileTicks(5), 1, 5, []string{"2=50%", "10=90%", "100=99%"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ticks := tc.ticker.Ticks(tc.min, tc.max)
			if got := labels(ticks); !slices.Equal(got, tc.want) {
				t.Errorf("labels %v, want %v", got, tc.want)
			}
			if len(ticks) != tc.count {
				t.Errorf("%d ticks, want %d", len(ticks), tc.count)
			}
		})
	}
}
