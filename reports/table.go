package reports

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// TableWidth is the widest line WriteTable prints: an 80-column terminal.
const TableWidth = 80

// WriteTable prints the run's summary for a terminal, in two tables of one
// row per queue (and sweep value): speed (throughput and latency), then
// memory and delivery. Figures are medians across repetitions. Each table
// fits TableWidth columns: where it would not, it leaves out p99.9, then
// max, then p50, and says so. Notes follow for every row that did not end
// ok, wrapped to the same width.
func WriteTable(w io.Writer, r *schema.Results) {
	writeTableHead(w, r)
	rows := Summarize(r)
	sched, blocked := false, false
	for _, row := range rows {
		sched = sched || row.IntendedP99 > 0
		blocked = blocked || row.BlockedFraction > 0
	}
	speed, mem, notes := summaryTextTables(r, rows, sched)
	fmt.Fprintln(w)
	left := speed.write(w, []string{"p99.9", "max", "p50"})
	fmt.Fprintln(w)
	mem.write(w, nil)

	foot := tableFoot(r, rows, left, sched, blocked)
	foot = append(foot, notes...)
	if r.Interrupted {
		foot = append(foot, "interrupted: only the finished trials are shown.")
	}
	if len(foot) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range foot {
		fmt.Fprint(w, wrap(n, TableWidth, "  "))
	}
}

// writeTableHead prints the lines above the tables: the workload and its
// shape, its capacity, policy, budget and repetitions, and the machine.
func writeTableHead(w io.Writer, r *schema.Results) {
	s := r.Workload
	capacity := fmt.Sprintf("capacity %d, ", s.Capacity)
	if r.Sweep != nil && r.Sweep.Key == "capacity" {
		capacity = "" // in the shape, as swept
	}
	for _, line := range []string{
		fmt.Sprintf("workload %s: %s", s.Name, RunShape(r)),
		fmt.Sprintf("%spolicy %s, budget %s, %s", capacity, s.Policy, units.Bytes(float64(s.MemLimit)), plural(r.Count, "repetition")),
		fmt.Sprintf("machine: %s, %s, GOMAXPROCS %d, %s", r.Machine.CPU, plural(r.Machine.Cores, "core"), r.Machine.GOMAXPROCS, r.Machine.GoVersion),
	} {
		fmt.Fprint(w, wrap(line, TableWidth, "  "))
	}
}

// summaryTextTables lays out rows in the speed table (with p99 sched
// where sched is set) and the memory table, one row per queue and sweep
// value, and returns a note for every row that did not end ok.
func summaryTextTables(r *schema.Results, rows []Row, sched bool) (speed, mem *textTable, notes []string) {
	key := func(row *Row) []string { return []string{row.Impl} }
	keyHead := []string{"queue"}
	if r.Sweep != nil {
		key = func(row *Row) []string { return []string{row.Impl, row.SweepValue} }
		keyHead = append(keyHead, r.Sweep.Key)
	}

	speed = &textTable{head: append(slices.Clone(keyHead), "outcome", "msg/s", "p50", "p99", "p99.9", "max")}
	if sched {
		speed.head = append(speed.head, "p99 sched")
	}
	mem = &textTable{head: append(slices.Clone(keyHead), "peak RSS", "retained", "blocked", "dropped", "lost")}
	for _, row := range rows {
		cells := speedCells(&row, r.Count > 1)
		if sched {
			cells = append(cells, okOnly(&row, latencyCell(row.IntendedP99)))
		}
		speed.add(append(key(&row), cells...))
		mem.add(append(key(&row), memoryCells(&row)...))
		if row.Worst != schema.OK && row.Reason != "" {
			who := row.Impl
			if row.SweepValue != "" {
				who += " @" + r.Sweep.Key + "=" + row.SweepValue
			}
			notes = append(notes, fmt.Sprintf("%s %s: %s", who, row.Worst, row.Reason))
		}
	}
	return speed, mem, notes
}

// tableFoot lists the notes that explain the tables: the columns left out
// to fit, what p99 sched measures, why blocked is blank, and who carried
// out the policy.
func tableFoot(r *schema.Results, rows []Row, left []string, sched, blocked bool) []string {
	var foot []string
	if len(left) > 0 {
		foot = append(foot, fmt.Sprintf("%s left out to fit %d columns; report.md has every column.", strings.Join(left, ", "), TableWidth))
	}
	if sched {
		n := "p99 sched: latency from the time the schedule meant each message to be sent"
		if blocked {
			n += ", so the time producers spent blocked counts."
		} else {
			n += "."
		}
		foot = append(foot, n)
	}
	for _, row := range rows {
		if row.BlockedSampled {
			foot = append(foot, blockedNote(rows))
			break
		}
	}
	if n := policyNote(r); n != "" {
		foot = append(foot, n)
	}
	return foot
}

// policyNote says who carried out a non-blocking policy for which queues.
func policyNote(r *schema.Results) string {
	if r.Workload.Policy == impls.Block {
		return ""
	}
	by := map[string][]string{}
	for _, t := range r.Trials {
		if t.Outcome == schema.Skipped || slices.Contains(by[t.Params.PolicyBy], t.Impl) {
			continue
		}
		by[t.Params.PolicyBy] = append(by[t.Params.PolicyBy], t.Impl)
	}
	var parts []string
	if q := by["queue"]; len(q) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s it itself", joinAnd(q), verb(q, "applies", "apply")))
	}
	if q := by["producer"]; len(q) > 0 {
		what := "drops what TrySend refuses"
		if r.Workload.Policy == impls.DropOldest {
			what = "takes the oldest value out with TryRecv and tries again"
		}
		parts = append(parts, fmt.Sprintf("for %s the producer %s", joinAnd(q), what))
	}
	if q := by["none"]; len(q) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s unbounded and never full", joinAnd(q), verb(q, "is", "are")))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("policy %s: %s.", r.Workload.Policy, strings.Join(parts, "; "))
}

func verb(names []string, one, many string) string {
	if len(names) == 1 {
		return one
	}
	return many
}

// wrap breaks text into lines of at most width characters at spaces, the
// lines after the first indented; each line ends in a newline.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	for i, line := range Wrap(text, width, utf8.RuneCountInString(indent)) {
		if i > 0 {
			b.WriteString(indent)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// Wrap breaks text into lines of at most width characters at spaces, for a
// terminal: the lines after the first get indent fewer, to leave room for
// an indentation the caller adds. A word longer than a line stands alone.
func Wrap(text string, width, indent int) []string {
	var lines []string
	line, room := "", width
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > room:
			lines = append(lines, line)
			line, room = word, width-indent
		default:
			line += " " + word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// A textTable is a right-aligned table of text with a header row.
type textTable struct {
	head []string
	rows [][]string
}

func (t *textTable) add(cells []string) { t.rows = append(t.rows, cells) }

// write prints the table, first leaving out the columns named in drop, in
// that order, until it fits TableWidth; it returns the columns it left out.
func (t *textTable) write(w io.Writer, drop []string) []string {
	var left []string
	for {
		out := t.render(left)
		if width(out) <= TableWidth || len(left) == len(drop) {
			w.Write(out)
			return left
		}
		left = append(left, drop[len(left)])
	}
}

func (t *textTable) render(without []string) []byte {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, cells := range append([][]string{t.head}, t.rows...) {
		var kept []string
		for i, c := range cells {
			if !slices.Contains(without, t.head[i]) {
				kept = append(kept, c)
			}
		}
		fmt.Fprintln(tw, strings.Join(kept, "\t")+"\t")
	}
	tw.Flush()
	return b.Bytes()
}

// width is the length of the longest line of out, in characters.
func width(out []byte) int {
	n := 0
	for _, line := range strings.Split(strings.TrimRight(string(out), " \n"), "\n") {
		n = max(n, utf8.RuneCountInString(strings.TrimRight(line, " ")))
	}
	return n
}

func latencyCell(v float64) string {
	if v == 0 {
		return units.Missing
	}
	return units.NS(v)
}

// okOnly shows s for a row that has figures from completed repetitions.
func okOnly(row *Row, s string) string {
	if row.Worst == schema.Skipped || row.Throughput == 0 {
		return units.Missing
	}
	return s
}

func speedCells(row *Row, spread bool) []string {
	outcome := row.Outcome
	if row.Worst == schema.Skipped {
		outcome = "skipped"
	}
	thr := units.Missing
	if row.Throughput > 0 {
		thr = units.Rate(row.Throughput)
		if spread {
			thr += fmt.Sprintf(" ±%.0f%%", 50*row.ThroughputSpread)
		}
	}
	return []string{outcome, thr,
		okOnly(row, latencyCell(row.P50)), okOnly(row, latencyCell(row.P99)),
		okOnly(row, latencyCell(row.P999)), okOnly(row, latencyCell(row.Max))}
}

func memoryCells(row *Row) []string {
	if row.Worst == schema.Skipped {
		return []string{units.Missing, units.Missing, units.Missing, units.Missing, units.Missing}
	}
	peak := units.Missing
	if row.PeakRSS > 0 {
		peak = units.Bytes(row.PeakRSS)
	}
	return []string{peak, okOnly(row, units.Bytes(row.RetainedRSS)), okOnly(row, blockedCell(row)),
		okOnly(row, units.Count(row.Dropped)), lostCell(row)}
}

// lostCell is the lost count, or units.Missing where no repetition counted to the
// end (a trial killed at its budget or timeout, or one that crashed).
func lostCell(row *Row) string {
	for _, t := range row.Trials {
		if t.Outcome == schema.OK || t.Outcome == schema.Invalid {
			return fmt.Sprint(row.Lost)
		}
	}
	return units.Missing
}

// blockedCell shows the blocked fraction where every send was timed. An
// estimate from sampled sends is not shown as a figure (see
// blockedUnmeasured): blocked time of flat-out producers comes largely from
// a few long waits, and a run samples too few of them for its estimate, or
// the estimate's own confidence interval, to be trusted.
func blockedCell(row *Row) string {
	if row.BlockedSampled {
		return units.Missing
	}
	return units.Percent(row.BlockedFraction)
}

// blockedNote is the note under a table whose blocked column has rows
// left blank, marked with units.Missing.
func blockedNote(rows []Row) string {
	every := 0
	for _, row := range rows {
		for _, t := range row.Trials {
			if l := t.Latency; row.BlockedSampled && l != nil && l.SampleEvery > 1 {
				every = max(every, l.SampleEvery)
			}
		}
	}
	return fmt.Sprintf("blocked %s: only one send in %d was timed, too few to measure it; "+
		"--latency-every 1 times every send, at a cost in throughput (more than half on steady); "+
		"results.json keeps the estimate and its interval (blocked_fraction, blocked_ci95).", units.Missing, every)
}
