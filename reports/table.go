package reports

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the run's summary for a terminal: one row per queue
// (and sweep value) with medians across repetitions, then a note for every
// row that did not end ok.
func WriteTable(w io.Writer, r *Results) {
	s := r.Workload
	fmt.Fprintf(w, "workload %s: %s, %d repetition(s), budget %s\n", s.Name, s.Shape(), r.Count, Bytes(float64(s.MemLimit)))
	fmt.Fprintf(w, "machine: %s, %d cores, GOMAXPROCS %d, %s\n\n", r.Machine.CPU, r.Machine.Cores, r.Machine.GOMAXPROCS, r.Machine.GoVersion)
	rows := Summarize(r)
	sched, sampled := false, false
	for _, row := range rows {
		sched = sched || row.IntendedP99 > 0
		sampled = sampled || row.BlockedSampled
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := []string{"queue", "outcome", "msg/s", "p50", "p99", "p99.9", "max", "peak RSS", "retained", "blocked", "dropped", "lost"}
	if sched {
		head = slices.Insert(head, 7, "p99 sched")
	}
	if r.Sweep != nil {
		head = slices.Insert(head, 1, r.Sweep.Key)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	var notes []string
	for _, row := range rows {
		cells := tableCells(&row, r.Count > 1)
		if sched {
			cells = slices.Insert(cells, 7, latencyCell(row.IntendedP99))
		}
		if r.Sweep != nil {
			cells = slices.Insert(cells, 1, row.SweepValue)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		if row.Worst != OK && row.Reason != "" {
			who := row.Impl
			if row.SweepValue != "" {
				who += " @" + r.Sweep.Key + "=" + row.SweepValue
			}
			notes = append(notes, fmt.Sprintf("  %s %s: %s", who, row.Worst, row.Reason))
		}
	}
	tw.Flush()
	if sched {
		fmt.Fprintln(w, "\np99 sched: latency from the time the schedule meant each message to be sent, so time producers spent blocked counts")
	}
	if sampled {
		fmt.Fprintln(w, "\n~ blocked: estimated from a sample of the sends, often low when a few long waits dominate; --latency-every 1 measures every send")
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
	}
	if r.Interrupted {
		fmt.Fprintln(w, "\ninterrupted: only the finished trials are shown")
	}
}

// blockedCell marks an estimated blocked fraction with a tilde.
func blockedCell(row *Row) string {
	if row.BlockedSampled {
		return "~" + Percent(row.BlockedFraction)
	}
	return Percent(row.BlockedFraction)
}

func latencyCell(v float64) string {
	if v == 0 {
		return "-"
	}
	return NS(v)
}

func tableCells(row *Row, spread bool) []string {
	dash := "-"
	if row.Worst == Skipped {
		return []string{row.Impl, "skipped", dash, dash, dash, dash, dash, dash, dash, dash, dash, dash}
	}
	thr := dash
	if row.Throughput > 0 {
		thr = Rate(row.Throughput)
		if spread {
			thr += fmt.Sprintf(" ±%.0f%%", 50*row.ThroughputSpread)
		}
	}
	lat := latencyCell
	okOnly := func(s string) string {
		if row.Throughput == 0 {
			return dash
		}
		return s
	}
	lost := fmt.Sprint(row.Lost)
	if row.Duplicates+row.Reordered > 0 {
		lost += fmt.Sprintf(" (+%d dup, %d reord)", row.Duplicates, row.Reordered)
	}
	return []string{
		row.Impl, row.Outcome, thr,
		lat(row.P50), lat(row.P99), lat(row.P999), lat(row.Max),
		Bytes(row.PeakRSS), okOnly(Bytes(row.RetainedRSS)), okOnly(blockedCell(row)),
		okOnly(Count(row.Dropped)), lost,
	}
}
