package compare

// This file names the figures compare tests and the verdicts it reaches.

import "github.com/chanbench/chanbench/schema"

// A Metric is a figure that compare tests across repetitions.
type Metric struct {
	// Name is the metric's name on the command line (--fail-on) and in
	// JSON output: throughput, p50, p99, rss or allocs.
	Name string
	// Label names the metric in tables.
	Label string
	// Unit is the unit of the values: msg/s, ns, B or allocs/msg.
	Unit string
	// HigherIsBetter is true for throughput and false for the others.
	HigherIsBetter bool
	// Floor is the smallest absolute change of the medians that counts,
	// in Unit; 0 for none. Allocations per message are counted over the
	// whole process, so the runtime's own few allocations show as tiny
	// fractions that move by large percentages.
	Floor float64
	// value reads the metric from a trial that ended ok; false when the
	// trial did not record it.
	value func(*schema.Trial) (float64, bool)
}

// Metrics are the figures compare tests, in the order it reports them.
var Metrics = []Metric{
	{Name: "throughput", Label: "throughput", Unit: "msg/s", HigherIsBetter: true,
		value: func(t *schema.Trial) (float64, bool) { return t.Throughput, true }},
	{Name: "p50", Label: "p50 latency", Unit: "ns",
		value: func(t *schema.Trial) (float64, bool) {
			if t.Latency == nil {
				return 0, false
			}
			return float64(t.Latency.P50), true
		}},
	{Name: "p99", Label: "p99 latency", Unit: "ns",
		value: func(t *schema.Trial) (float64, bool) {
			if t.Latency == nil {
				return 0, false
			}
			return float64(t.Latency.P99), true
		}},
	{Name: "rss", Label: "peak RSS", Unit: "B",
		value: func(t *schema.Trial) (float64, bool) { return float64(t.PeakRSSBytes), t.PeakRSSBytes > 0 }},
	{Name: "allocs", Label: "allocs/msg", Unit: "allocs/msg", Floor: 0.01,
		value: func(t *schema.Trial) (float64, bool) { return t.AllocsPerMsg, true }},
}

// OutcomeMetric names the pseudo-metric that compares how the
// repetitions ended: a queue that went from ok to oom, timeout, crash or
// invalid is worse.
const OutcomeMetric = "outcome"

// MetricNames lists every name --fail-on accepts, OutcomeMetric last.
func MetricNames() []string {
	names := make([]string, 0, len(Metrics)+1)
	for _, m := range Metrics {
		names = append(names, m.Name)
	}
	return append(names, OutcomeMetric)
}

// A Verdict is compare's finding for one metric of one queue.
type Verdict string

const (
	// Better: the change is significant and beyond the threshold, in the
	// good direction.
	Better Verdict = "better"
	// Worse: the change is significant and beyond the threshold, in the
	// bad direction; or more repetitions failed.
	Worse Verdict = "worse"
	// NoChange ("~"): not significant, within the threshold, or too few
	// samples to tell (the Delta's Notes say which).
	NoChange Verdict = "~"
)
