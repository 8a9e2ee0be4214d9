package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// This file holds the findings about single queues: what happened to each,
// and one sentence for the queues that held steady.

// isSteady reports whether row completed every repetition and held steady
// with nothing of its own to report: no growth, no drops, no big memory.
func (v *runView) isSteady(row *Row, minPeak float64) bool {
	if row.Worst != schema.OK || strings.Contains(row.Outcome, ",") || row.Dropped > 0 {
		return false
	}
	t := row.MedianTrial()
	if measureGrowth(t, v.r.Machine).Unbounded || absorbed(t, row) {
		return false
	}
	return row.PeakRSS < 2*minPeak
}

// absorbed reports whether a queue took in far more than a bounded
// queue's capacity without making the producers wait.
func absorbed(t *schema.Trial, row *Row) bool {
	return t.PeakDepth > int64(2*t.Params.Capacity) && row.BlockedFraction < 0.01
}

// steadyFinding says, in one sentence, what queues that held steady did,
// as ranges across them.
func steadyFinding(rows []*Row) string {
	var rss, depth, blocked, thr, p99, ip99, lp99 []float64
	measured := true
	for _, row := range rows {
		measured = measured && !row.BlockedSampled
		t := row.MedianTrial()
		rss = append(rss, row.PeakRSS)
		depth = append(depth, float64(t.PeakDepth))
		blocked = append(blocked, row.BlockedFraction)
		thr = append(thr, row.Throughput)
		if row.P99 > 0 {
			p99 = append(p99, row.P99)
		}
		if il, l := t.IntendedLatency, t.Latency; il != nil && l != nil && il.P99 > 10*l.P99 {
			ip99 = append(ip99, float64(il.P99))
			lp99 = append(lp99, float64(l.P99))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "held %s", rangeText(rss, units.Bytes))
	if slices.Max(depth) > 0 {
		fmt.Fprintf(&b, " with at most %s queued", countOf(slices.Max(depth), "message"))
	}
	if measured && slices.Min(blocked) >= 0.01 {
		fmt.Fprintf(&b, " while producers were blocked %s of the time", rangeText(blocked, units.Percent))
	}
	fmt.Fprintf(&b, "; %s msg/s", rangeText(thr, units.Count))
	if len(p99) == len(rows) {
		fmt.Fprintf(&b, ", p99 %s", rangeText(p99, units.NS))
	}
	b.WriteString(".")
	if len(ip99) == len(rows) {
		b.WriteString(" " + schedText(rangeText(ip99, units.NS), rangeText(lp99, units.NS), slices.Min(blocked), slices.Max(blocked)))
	}
	return b.String()
}

// schedText says what p99 latency measured from the schedule (sched, the
// p99 sched column) holds beyond p99 from the send (sent), in terms true of
// queues whose producers were blocked a share of their time from blockedLo
// to blockedHi: only where they blocked is the difference blocking; where
// they never did (an unbounded queue, a drop policy), it is the wait for a
// producer to get to each message its schedule had already made due.
func schedText(sched, sent string, blockedLo, blockedHi float64) string {
	s := fmt.Sprintf("Measured from when the schedule meant each message to be sent, p99 was %s against %s from the send:", sched, sent)
	switch {
	case blockedHi == 0:
		return s + " no producer blocked, so the difference is time messages waited for their producer to get to them."
	case blockedLo > 0:
		return s + " the difference includes the time producers spent blocked by a full queue."
	}
	return s + " the difference includes the time producers spent blocked, where a queue blocked them."
}

// queueFinding says what happened to one queue, and how high the finding
// ranks.
func (v *runView) queueFinding(row *Row, minPeak float64) (int, string) {
	t := row.MedianTrial()
	mixed := ""
	if strings.Contains(row.Outcome, ",") {
		mixed = " (repetitions: " + row.Outcome + ")"
	}
	switch row.Worst {
	case schema.Skipped:
		return rankSkipped, "was skipped: " + reasonOr(row.Reason, "it cannot serve this workload") + "."
	case schema.Crash:
		return rankFailed, "crashed" + mixed + ": " + reasonOr(row.Reason, "no reason recorded") + "."
	case schema.Invalid:
		return rankFailed, invalidText(row) + mixed + ": " + reasonOr(row.Reason, "no reason recorded") + "."
	}
	if t.Outcome != schema.OK && t.Outcome != schema.OOM && t.Outcome != schema.Timeout {
		// The median repetition failed in a way the cases above missed.
		t = firstWith(row, t.Outcome)
	}
	g := measureGrowth(t, v.r.Machine)
	switch {
	case t.Outcome == schema.OOM:
		return rankTrap, v.oomFinding(row, t, g, mixed)
	case t.Outcome == schema.Timeout:
		return rankTrap, v.timeoutFinding(row, t, g, mixed)
	case g.Unbounded:
		return rankTrap, v.growthFinding(row, t, g, mixed)
	}
	return rankSurvived, v.survivedFinding(row, t, minPeak, mixed)
}

// invalidText says how a queue that failed validation went wrong: the
// messages it lost, delivered twice or reordered.
func invalidText(row *Row) string {
	var what []string
	if row.Lost > 0 {
		what = append(what, "lost "+countOf(float64(row.Lost), "message"))
	}
	if row.Duplicates > 0 {
		what = append(what, "delivered "+countOf(float64(row.Duplicates), "message")+" twice")
	}
	if row.Reordered > 0 {
		what = append(what, "reordered "+countOf(float64(row.Reordered), "message"))
	}
	if len(what) == 0 {
		what = append(what, "failed validation")
	}
	return joinAnd(what)
}

// oomFinding says how fast a queue killed for memory grew, and when it
// was killed; mixed names the repetitions' outcomes when they differ.
func (v *runView) oomFinding(row *Row, t *schema.Trial, g growth, mixed string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "grew at %s/s", units.Bytes(g.RSSRate))
	if g.DepthRate > 0 {
		fmt.Fprintf(&b, " (%s more in than out)", humanRate(g.DepthRate))
	}
	budget := float64(t.MemLimitBytes)
	if budget == 0 {
		budget = float64(v.r.Workload.MemLimit)
	}
	fmt.Fprintf(&b, " and was killed at the %s memory budget", units.Bytes(budget))
	if t.Kill != nil {
		fmt.Fprintf(&b, " after %s with %s queued", v.killTime(t.Kill.AtMS/1000), countOf(float64(t.Kill.Depth), "message"))
	}
	b.WriteString(mixed + ".")
	v.forecast(&b, row.Impl, g)
	return b.String()
}

// timeoutFinding says when a queue that ran past its timeout was killed,
// and, if it grew without bound, how soon it would fill the machine.
func (v *runView) timeoutFinding(row *Row, t *schema.Trial, g growth, mixed string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ran past its %s timeout", units.Seconds(v.r.Workload.Timeout.D().Seconds()))
	if t.Kill != nil {
		fmt.Fprintf(&b, " and was killed after %s with %s queued", v.killTime(t.Kill.AtMS/1000), countOf(float64(t.Kill.Depth), "message"))
	}
	b.WriteString(mixed + ".")
	if g.Unbounded {
		v.forecast(&b, row.Impl, g)
	}
	return b.String()
}

// growthFinding says how a queue that survived the run grew without bound:
// for a burst it drained once the producers stopped, or for the whole run.
func (v *runView) growthFinding(row *Row, t *schema.Trial, g growth, mixed string) string {
	var b strings.Builder
	if t.Phases.DrainedMS > 0 && t.Phases.ProducersDoneMS > 0 {
		// It grew while the producers sent, but the consumers caught up
		// once they stopped: a burst it could afford, not a run cut short.
		fmt.Fprintf(&b, "grew at %s/s (%s more in than out) while the producers sent, to %s queued and %s, and drained %s after they stopped%s.",
			units.Bytes(g.RSSRate), humanRate(g.DepthRate), countOf(g.EndDepth, "message"), units.Bytes(g.EndRSS),
			units.Seconds((t.Phases.DrainedMS-t.Phases.ProducersDoneMS)/1000), mixed)
		b.WriteString(" It moved " + perf(row) + ".")
		return b.String()
	}
	fmt.Fprintf(&b, "grew at %s/s (%s more in than out) for the whole %s run, to %s queued and %s; it survived only because the run ended%s.",
		units.Bytes(g.RSSRate), humanRate(g.DepthRate), units.Seconds(g.Window),
		countOf(g.EndDepth, "message"), units.Bytes(g.EndRSS), mixed)
	v.forecast(&b, row.Impl, g)
	b.WriteString(" It moved " + perf(row) + ".")
	return b.String()
}

// survivedFinding says how a queue that survived the run without growing
// held up: its memory and depth, what it dropped, how its latency measured
// from the schedule differed, and what memory it kept afterwards.
func (v *runView) survivedFinding(row *Row, t *schema.Trial, minPeak float64, mixed string) string {
	var b strings.Builder
	soaked := absorbed(t, row)
	if soaked {
		fmt.Fprintf(&b, "absorbed the load without blocking the producers: up to %s queued and %s peak RSS",
			countOf(float64(t.PeakDepth), "message"), units.Bytes(row.PeakRSS))
	} else {
		fmt.Fprintf(&b, "held %s", units.Bytes(row.PeakRSS))
		if t.PeakDepth > 0 {
			fmt.Fprintf(&b, " with at most %s queued", countOf(float64(t.PeakDepth), "message"))
		}
		if row.BlockedFraction >= 0.01 && !row.BlockedSampled {
			fmt.Fprintf(&b, " while producers were blocked %s of the time", units.Percent(row.BlockedFraction))
		}
	}
	b.WriteString(mixed + "; " + perf(row) + ".")
	if share := dropShare(row); share > 0 {
		fmt.Fprintf(&b, " It dropped %s of the messages it was handed (policy %s)", units.Percent(share), t.Params.Policy)
		if share >= materialDrop {
			b.WriteString(": its msg/s counts only those it delivered")
		}
		b.WriteString(".")
	}
	if il, l := t.IntendedLatency, t.Latency; il != nil && l != nil && il.P99 > 10*l.P99 {
		b.WriteString(" " + schedText(units.NS(float64(il.P99)), units.NS(float64(l.P99)), row.BlockedFraction, row.BlockedFraction))
	}
	v.retainedText(&b, row, soaked, minPeak)
	return b.String()
}

// retainedText adds the memory a queue still held after the drain (and
// the idle time), where it held a lot: it had idle time or absorbed the
// load, and peaked at twice the least peak RSS or more.
func (v *runView) retainedText(b *strings.Builder, row *Row, soaked bool, minPeak float64) {
	idle := v.r.Workload.Idle > 0
	if row.RetainedRSS > 0 && row.PeakRSS > 0 && (idle || soaked) && row.PeakRSS >= 2*minPeak {
		after := "the drain"
		if idle {
			after = "the drain and " + v.r.Workload.Idle.String() + " idle"
		}
		fmt.Fprintf(b, " After %s it still held %s (%s of its peak).", after, units.Bytes(row.RetainedRSS), units.Percent(row.RetainedRSS/row.PeakRSS))
	}
}

// forecast adds how long g's growth would take to fill the machine.
func (v *runView) forecast(b *strings.Builder, impl string, g growth) {
	if g.FillSec <= 0 {
		return
	}
	fmt.Fprintf(b, " At this imbalance %s would fill the machine's %s in %s.",
		impl, units.Bytes(float64(v.r.Machine.MemoryBytes)), v.fillTime(g.FillSec))
}

// perf states a row's throughput and tail latency.
func perf(row *Row) string {
	s := humanRate(row.Throughput)
	if row.P99 > 0 {
		s += ", p99 " + units.NS(row.P99)
	}
	return s
}

// firstWith returns the first repetition of row with outcome o.
func firstWith(row *Row, o schema.Outcome) *schema.Trial {
	for _, t := range row.Trials {
		if t.Outcome == o {
			return t
		}
	}
	return row.MedianTrial()
}
