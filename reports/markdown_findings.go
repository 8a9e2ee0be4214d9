package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// This file turns results into findings: sentences that state in numbers
// what the charts show. The charts' captions and both reports use them.

// A runView is one run as the charts and reports show it.
type runView struct {
	r *schema.Results
	// label names the run on merged charts; unique among the runs.
	label string
	// rows are every row of Summarize; shown are those at the sweep value
	// the time-series charts draw (all rows without a sweep).
	rows, shown []Row
	// at is the sweep value shown, "" without a sweep.
	at string
	// killTime spells when a trial was killed and fillTime how long a
	// growth would take to fill the machine, each in one unit across every
	// run of a report.
	killTime, fillTime func(float64) string
}

// newRunViews summarises runs and gives each a unique label.
func newRunViews(runs []*schema.Results) []*runView {
	views := make([]*runView, len(runs))
	seen := map[string]int{}
	for i, r := range runs {
		v := &runView{r: r, label: r.Label, rows: Summarize(r)}
		if v.label == "" || v.label == "." {
			v.label = fmt.Sprintf("run %d", i+1)
		}
		base := v.label
		if n := seen[base]; n > 0 {
			v.label = fmt.Sprintf("%s #%d", base, n+1)
		}
		seen[base]++
		v.shown = v.rows
		if r.Sweep != nil {
			v.at = shownSweepValue(r.Sweep, v.rows)
			v.shown = nil
			for _, row := range v.rows {
				if row.SweepValue == v.at {
					v.shown = append(v.shown, row)
				}
			}
		}
		views[i] = v
	}
	var kills, fills []float64
	for _, v := range views {
		for i := range v.rows {
			row := &v.rows[i]
			for _, t := range row.Trials {
				if t.Kill != nil {
					kills = append(kills, t.Kill.AtMS/1000)
				}
			}
			if row.Worst != schema.Skipped {
				fills = append(fills, measureGrowth(row.MedianTrial(), v.r.Machine).FillSec)
			}
		}
	}
	for _, v := range views {
		v.killTime, v.fillTime = units.SecondsIn(kills...), units.SecondsIn(fills...)
	}
	return views
}

// materialDrop is the share of its messages a queue may drop or reject by
// policy and still be ranked beside queues that delivered every one: past
// it, the queue did a different amount of work for its msg/s.
const materialDrop = 0.01

// dropShare is the median over row's repetitions that ended ok of the
// share of the messages sent that the queue dropped or rejected by policy,
// in [0,1].
func dropShare(row *Row) float64 {
	var shares []float64
	for _, t := range row.Trials {
		if t.Outcome == schema.OK && t.Sent > 0 {
			shares = append(shares, float64(t.Dropped)/float64(t.Sent))
		}
	}
	return Median(shares)
}

// lossy reports whether row dropped a material share of its messages.
func lossy(row *Row) bool { return dropShare(row) >= materialDrop }

// A repSpan says how many repetitions rows hold: recorded (the trials that
// ran, skipped ones aside) and ended ok, as the least and the most over
// the rows that have any. A run that was interrupted, or a queue that
// failed in some repetitions, has fewer than the run's Count.
type repSpan struct {
	ranLo, ranHi, okLo, okHi int
}

func repsOf(rows []*Row) repSpan {
	var rs repSpan
	first, firstOK := true, true
	for _, row := range rows {
		ran, ok := 0, 0
		for _, t := range row.Trials {
			if t.Outcome != schema.Skipped {
				ran++
			}
			if t.Outcome == schema.OK {
				ok++
			}
		}
		if ran > 0 {
			if first {
				rs.ranLo, rs.ranHi, first = ran, ran, false
			}
			rs.ranLo, rs.ranHi = min(rs.ranLo, ran), max(rs.ranHi, ran)
		}
		if ok > 0 {
			if firstOK {
				rs.okLo, rs.okHi, firstOK = ok, ok, false
			}
			rs.okLo, rs.okHi = min(rs.okLo, ok), max(rs.okHi, ok)
		}
	}
	return rs
}

// rowPtrs returns pointers to rows.
func rowPtrs(rows []Row) []*Row {
	out := make([]*Row, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// over names the repetitions a median over those that ended ok is taken
// over: "3 repetitions", "the 2 repetitions that ended ok", "the
// repetitions that ended ok, 1 to 3 per queue"; "" when no queue had more
// than one.
func (rs repSpan) over() string {
	switch {
	case rs.okHi <= 1:
		return ""
	case rs.okLo == rs.okHi && rs.ranLo == rs.okHi && rs.ranHi == rs.okHi:
		return fmt.Sprintf("%d repetitions", rs.okHi)
	case rs.okLo == rs.okHi:
		return fmt.Sprintf("the %d repetitions that ended ok", rs.okHi)
	}
	return fmt.Sprintf("the repetitions that ended ok, %d to %d per queue", rs.okLo, rs.okHi)
}

// mixed reports whether some queue has repetitions that did not end ok.
func (rs repSpan) mixed() bool { return rs.okLo < rs.ranHi }

// shownSweepValue picks the sweep value the time-series charts draw: the
// last listed value that has a trial which ran, usually the hardest.
func shownSweepValue(s *schema.Sweep, rows []Row) string {
	ran := map[string]bool{}
	for _, row := range rows {
		if row.Worst != schema.Skipped {
			ran[row.SweepValue] = true
		}
	}
	for i := len(s.Values) - 1; i >= 0; i-- {
		if ran[s.Values[i]] {
			return s.Values[i]
		}
	}
	if len(s.Values) > 0 {
		return s.Values[len(s.Values)-1]
	}
	return ""
}

// growth is what a trial's time series say about a queue that grows.
type growth struct {
	// Unbounded is true when the queue grew without bound: it was killed
	// for memory, or its depth rose steadily while the producers ran.
	Unbounded bool
	// RSSRate is the growth of RSS in bytes per second and DepthRate that of
	// the queue in messages per second, each the slope of a least-squares
	// line over the producing window; Window is that window in seconds.
	RSSRate, DepthRate, Window float64
	// EndDepth and EndRSS are the depth and RSS at the window's end.
	EndDepth, EndRSS float64
	// FillSec is how long RSSRate would take to fill the machine's memory;
	// 0 when it is not growing or the memory is unknown.
	FillSec float64
}

// measureGrowth fits lines to t's RSS and depth from the producers' start
// until they stopped or the trial was killed.
func measureGrowth(t *schema.Trial, m schema.Machine) growth {
	var g growth
	if t == nil || t.Series.Len() < 3 {
		return g
	}
	s := &t.Series
	end := s.TMS[s.Len()-1]
	switch {
	case t.Kill != nil:
		end = t.Kill.AtMS
	case t.Phases.ProducersDoneMS > 0:
		end = t.Phases.ProducersDoneMS
	}
	var ts, rss, depth []float64
	for i, ms := range s.TMS {
		if ms < 0 || ms > end || s.RSS[i] <= 0 {
			continue // RSS 0 is a sample taken after the child exited
		}
		ts = append(ts, ms/1000)
		rss = append(rss, float64(s.RSS[i]))
		depth = append(depth, float64(s.Depth[i]))
	}
	if len(ts) < 3 {
		return g
	}
	g.Window = ts[len(ts)-1] - ts[0]
	g.RSSRate, _ = fitLine(ts, rss)
	var r2 float64
	g.DepthRate, r2 = fitLine(ts, depth)
	g.EndDepth, g.EndRSS = depth[len(depth)-1], rss[len(rss)-1]
	if t.Kill != nil {
		g.EndDepth, g.EndRSS = float64(t.Kill.Depth), float64(t.Kill.RSSBytes)
	}
	switch {
	case t.Outcome == schema.OOM:
		g.Unbounded = true
	case t.Outcome == schema.OK && g.DepthRate > 0 && r2 >= 0.8 && g.EndDepth >= 1000:
		// Depth rising on a straight line is a queue that would have kept
		// growing had the run gone on; a bounded queue cannot do that.
		// Whether the queue is bounded is what the trial recorded; results
		// from before that was recorded fall back to the depth passing
		// twice the capacity.
		if q := t.Params.Queue; q != nil {
			g.Unbounded = !q.Bounded
		} else {
			g.Unbounded = g.EndDepth > 2*float64(t.Params.Capacity)
		}
	}
	if g.Unbounded && g.RSSRate > 0 && m.MemoryBytes > 0 {
		g.FillSec = float64(m.MemoryBytes) / g.RSSRate
	}
	return g
}

// fitLine returns the slope of the least-squares line through (x, y) and
// its coefficient of determination in [0,1].
func fitLine(x, y []float64) (slope, r2 float64) {
	n := float64(len(x))
	var sx, sy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return 0, 0
	}
	slope = sxy / sxx
	if syy == 0 {
		return slope, 1
	}
	return slope, sxy * sxy / (sxx * syy)
}

// A finding is one sentence about a queue; Queue is empty for a sentence
// about the run as a whole. Text is plain text that follows the queue's
// name; the writers mark it up.
type finding struct {
	Queue string
	Text  string
}

// findings states what happened to each queue of v at the shown sweep
// value, the trap first: queues killed or growing without bound, then
// failures, then queues that survived; queues that simply held steady
// share one sentence. Comparisons between the queues close the list.
func (v *runView) findings() []finding {
	minPeak := math.Inf(1)
	for _, row := range v.shown {
		if row.Worst != schema.Skipped && row.PeakRSS > 0 {
			minPeak = math.Min(minPeak, row.PeakRSS)
		}
	}
	var ranked [5][]finding
	var steady []*Row
	for i := range v.shown {
		row := &v.shown[i]
		if v.isSteady(row, minPeak) {
			steady = append(steady, row)
			continue
		}
		rank, text := v.queueFinding(row, minPeak)
		ranked[rank] = append(ranked[rank], finding{Queue: row.Impl, Text: text})
	}
	if len(steady) > 0 {
		var impls []string
		for _, row := range steady {
			impls = append(impls, row.Impl)
		}
		ranked[rankHeld] = append(ranked[rankHeld], finding{Queue: joinAnd(impls), Text: steadyFinding(steady)})
	}
	var out []finding
	for _, fs := range ranked {
		out = append(out, fs...)
	}
	return append(out, v.comparisons()...)
}

// Ranks order the findings.
const (
	rankTrap     = iota // killed for memory or time, or growing without bound
	rankFailed          // crashed or failed validation
	rankSurvived        // completed, with something to say of its own
	rankHeld            // completed and held steady
	rankSkipped
)

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

// rangeText formats the range of xs: "12.5–12.8 MiB", or one value when both
// ends read the same.
func rangeText(xs []float64, f func(float64) string) string {
	lo, hi := f(slices.Min(xs)), f(slices.Max(xs))
	if lo == hi {
		return lo
	}
	// Say the unit once: "12.5–12.8 MiB", "51–55ms".
	if i := unitStart(lo); i > 0 && unitStart(hi) > 0 && lo[i:] == hi[unitStart(hi):] {
		return strings.TrimSpace(lo[:i]) + "–" + hi
	}
	return lo + "–" + hi
}

// unitStart returns where the unit after a number begins, or 0.
func unitStart(s string) int {
	for i := len(s); i > 0; i-- {
		if c := s[i-1]; '0' <= c && c <= '9' {
			if i == len(s) {
				return 0
			}
			return i
		}
	}
	return 0
}

// queueFinding says what happened to one queue, and how high the finding
// ranks.
func (v *runView) queueFinding(row *Row, minPeak float64) (int, string) {
	r := v.r
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
		return rankFailed, joinAnd(what) + mixed + ": " + reasonOr(row.Reason, "no reason recorded") + "."
	}
	if t.Outcome != schema.OK && t.Outcome != schema.OOM && t.Outcome != schema.Timeout {
		// The median repetition failed in a way the cases above missed.
		t = firstWith(row, t.Outcome)
	}
	g := measureGrowth(t, r.Machine)
	var b strings.Builder
	switch t.Outcome {
	case schema.OOM:
		fmt.Fprintf(&b, "grew at %s/s", units.Bytes(g.RSSRate))
		if g.DepthRate > 0 {
			fmt.Fprintf(&b, " (%s more in than out)", humanRate(g.DepthRate))
		}
		budget := float64(t.MemLimitBytes)
		if budget == 0 {
			budget = float64(r.Workload.MemLimit)
		}
		fmt.Fprintf(&b, " and was killed at the %s memory budget", units.Bytes(budget))
		if t.Kill != nil {
			fmt.Fprintf(&b, " after %s with %s queued", v.killTime(t.Kill.AtMS/1000), countOf(float64(t.Kill.Depth), "message"))
		}
		b.WriteString(mixed + ".")
		v.forecast(&b, row.Impl, g)
		return rankTrap, b.String()
	case schema.Timeout:
		fmt.Fprintf(&b, "ran past its %s timeout", units.Seconds(r.Workload.Timeout.D().Seconds()))
		if t.Kill != nil {
			fmt.Fprintf(&b, " and was killed after %s with %s queued", v.killTime(t.Kill.AtMS/1000), countOf(float64(t.Kill.Depth), "message"))
		}
		b.WriteString(mixed + ".")
		if g.Unbounded {
			v.forecast(&b, row.Impl, g)
		}
		return rankTrap, b.String()
	}

	// The queue survived the run.
	if g.Unbounded && t.Phases.DrainedMS > 0 && t.Phases.ProducersDoneMS > 0 {
		// It grew while the producers sent, but the consumers caught up
		// once they stopped: a burst it could afford, not a run cut short.
		fmt.Fprintf(&b, "grew at %s/s (%s more in than out) while the producers sent, to %s queued and %s, and drained %s after they stopped%s.",
			units.Bytes(g.RSSRate), humanRate(g.DepthRate), countOf(g.EndDepth, "message"), units.Bytes(g.EndRSS),
			units.Seconds((t.Phases.DrainedMS-t.Phases.ProducersDoneMS)/1000), mixed)
		b.WriteString(" It moved " + perf(row) + ".")
		return rankTrap, b.String()
	}
	if g.Unbounded {
		fmt.Fprintf(&b, "grew at %s/s (%s more in than out) for the whole %s run, to %s queued and %s; it survived only because the run ended%s.",
			units.Bytes(g.RSSRate), humanRate(g.DepthRate), units.Seconds(g.Window),
			countOf(g.EndDepth, "message"), units.Bytes(g.EndRSS), mixed)
		v.forecast(&b, row.Impl, g)
		b.WriteString(" It moved " + perf(row) + ".")
		return rankTrap, b.String()
	}
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
	idle := r.Workload.Idle > 0
	if row.RetainedRSS > 0 && row.PeakRSS > 0 && (idle || soaked) && row.PeakRSS >= 2*minPeak {
		after := "the drain"
		if idle {
			after = "the drain and " + r.Workload.Idle.String() + " idle"
		}
		fmt.Fprintf(&b, " After %s it still held %s (%s of its peak).", after, units.Bytes(row.RetainedRSS), units.Percent(row.RetainedRSS/row.PeakRSS))
	}
	return rankSurvived, b.String()
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

// singleRunNoise is how far apart two queues' throughputs from one
// repetition each must be before the findings rank them: one repetition
// of the same queue on a shared 2-core machine can move this much.
const singleRunNoise = 0.20

// okThroughputs returns the lowest and highest throughput over a row's
// repetitions that ended ok, and how many there were.
func okThroughputs(row *Row) (lo, hi float64, n int) {
	for _, t := range row.Trials {
		if t.Outcome != schema.OK {
			continue
		}
		if n == 0 || t.Throughput < lo {
			lo = t.Throughput
		}
		hi = max(hi, t.Throughput)
		n++
	}
	return lo, hi, n
}

// comparisons compares the queues that completed the run. It ranks them
// by throughput only when the difference stands out of the noise: their
// repetitions do not overlap, or, with one each, they are far apart. A
// queue that dropped a material share of its messages moved fewer of them
// for other work than the rest did: it is named apart, never ranked.
func (v *runView) comparisons() []finding {
	var ok, dropped []*Row
	for i := range v.shown {
		row := &v.shown[i]
		switch {
		case row.Worst != schema.OK || row.Throughput <= 0:
		case lossy(row):
			dropped = append(dropped, row)
		default:
			ok = append(ok, row)
		}
	}
	var out []finding
	every, slowest := "Every queue that completed", "the slowest that completed"
	if len(dropped) > 0 {
		var impls, shares []string
		for _, row := range dropped {
			impls = append(impls, row.Impl)
			shares = append(shares, units.Percent(dropShare(row)))
		}
		is, it, its := "is", "it", "its"
		if len(dropped) > 1 {
			is, it, its = "are", "they", "their"
		}
		others := ""
		if len(ok) > 0 {
			others = " with the others"
		}
		out = append(out, finding{Text: fmt.Sprintf("%s %s not ranked%s: %s dropped %s of %s messages by policy, so %s did not do the same work.",
			joinAnd(impls), is, others, it, joinAnd(shares), its, it)})
		every, slowest = "Every other queue that completed", "the slowest of the others"
	}
	if len(ok) < 2 {
		return out
	}
	byThr := slices.Clone(ok)
	slices.SortStableFunc(byThr, func(a, b *Row) int { return cmpFloat(b.Throughput, a.Throughput) })
	fast, slow := byThr[0], byThr[len(byThr)-1]
	moved := rangeText([]float64{slow.Throughput, fast.Throughput}, units.Count)
	fastLo, _, n := okThroughputs(fast)
	_, slowHi, _ := okThroughputs(slow)
	switch spread := fast.Throughput/slow.Throughput - 1; {
	case spread < 0.05:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s, within %s of each other: the workload, not the queue, set the pace.",
			every, moved, units.Percent(spread))})
	case n == 1 && spread < singleRunNoise:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s, within %s of each other; one repetition cannot rank them (--count 5 or more can).",
			every, moved, units.Percent(spread))})
	case n > 1 && fastLo <= slowHi:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s; the repetitions of the fastest (%s) and the slowest (%s) overlap, so their order is noise.",
			every, moved, fast.Impl, slow.Impl)})
	default:
		out = append(out, finding{Text: fmt.Sprintf("%s was the fastest at %s, %s× %s, %s.",
			fast.Impl, humanRate(fast.Throughput), units.Number(fast.Throughput/slow.Throughput), slow.Impl, slowest)})
	}
	var lat []*Row
	for _, row := range ok {
		if row.P99 > 0 {
			lat = append(lat, row)
		}
	}
	if len(lat) >= 2 {
		slices.SortStableFunc(lat, func(a, b *Row) int { return cmpFloat(a.P99, b.P99) })
		lo, hi := lat[0], lat[len(lat)-1]
		if hi.P99 >= 1.5*lo.P99 {
			out = append(out, finding{Text: fmt.Sprintf("%s had the lowest p99 latency at %s; %s the highest at %s.",
				lo.Impl, units.NS(lo.P99), hi.Impl, units.NS(hi.P99))})
		}
	}
	return out
}

// scalingFindings says how each queue's throughput and tail latency moved
// across the sweep.
func (v *runView) scalingFindings() []finding {
	s := v.r.Sweep
	if s == nil || len(s.Values) < 2 {
		return nil
	}
	var out []finding
	for _, impl := range rowImpls(v.rows) {
		var first, last *Row
		var failed, grew, dropped []string
		for i := range v.rows {
			row := &v.rows[i]
			if row.Impl != impl {
				continue
			}
			if row.Worst == schema.OK && row.Throughput > 0 {
				if first == nil {
					first = row
				}
				last = row
				if lossy(row) {
					dropped = append(dropped, fmt.Sprintf("%s at %s=%s", units.Percent(dropShare(row)), s.Key, row.SweepValue))
				}
				if row.SweepValue != v.at {
					if g := measureGrowth(row.MedianTrial(), v.r.Machine); g.Unbounded {
						text := fmt.Sprintf("at %s=%s it grew without bound, at %s/s", s.Key, row.SweepValue, units.Bytes(g.RSSRate))
						if g.FillSec > 0 {
							text += fmt.Sprintf(", enough to fill the machine's %s in %s", units.Bytes(float64(v.r.Machine.MemoryBytes)), v.fillTime(g.FillSec))
						}
						grew = append(grew, text)
					}
				}
			} else if row.Worst != schema.Skipped {
				failed = append(failed, fmt.Sprintf("%s at %s=%s", row.Worst, s.Key, row.SweepValue))
			}
		}
		var text string
		switch {
		case first == nil && len(failed) == 0:
			continue
		case first == nil:
			text = "did not complete: " + joinAnd(failed) + "."
		case first == last:
			text = fmt.Sprintf("completed only at %s=%s, %s", s.Key, first.SweepValue, perf(first)) + "."
		default:
			text = fmt.Sprintf("%s at %s=%s → %s at %s (%s)", humanRate(first.Throughput), s.Key, first.SweepValue,
				humanRate(last.Throughput), last.SweepValue, units.SignedPercent(last.Throughput/first.Throughput-1))
			if first.P99 > 0 && last.P99 > 0 {
				text += fmt.Sprintf("; p99 %s → %s", units.NS(first.P99), units.NS(last.P99))
			}
			text += "."
		}
		if len(grew) > 0 {
			text += " " + capitalize(joinAnd(grew)) + "."
		}
		if first != nil && len(failed) > 0 {
			text += " It ended in " + joinAnd(failed) + "."
		}
		if len(dropped) > 0 {
			text += " It dropped " + joinAnd(dropped) + " of its messages by policy: its msg/s there counts only those delivered."
		}
		out = append(out, finding{Queue: impl, Text: text})
	}
	return out
}

// rowImpls lists the queues of rows in order of first appearance.
func rowImpls(rows []Row) []string {
	var impls []string
	for _, row := range rows {
		if !slices.Contains(impls, row.Impl) {
			impls = append(impls, row.Impl)
		}
	}
	return impls
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

func reasonOr(reason, fallback string) string {
	if reason = strings.TrimSpace(reason); reason == "" {
		return fallback
	}
	return strings.TrimSuffix(reason, ".")
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
