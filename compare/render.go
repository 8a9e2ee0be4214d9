package compare

// The three renderings of a Comparison: an aligned text table for the
// terminal, a markdown table for a pull-request comment, and JSON.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/chanbench/chanbench/internal/textio"
	"golang.org/x/perf/benchunit"
)

// WriteText writes c as aligned tables, one per workload, each row naming
// the queue, the metric, both medians, the change and the verdict, with
// benchstat-style footnotes.
func (c *Comparison) WriteText(w io.Writer) error {
	ew := &textio.ErrWriter{W: w}
	fmt.Fprintf(ew, "OLD %s\nNEW %s\nalpha %g, threshold %s\n", c.Old.describe("%s"), c.New.describe("%s"), c.Alpha, pct(c.Threshold))
	for _, wl := range c.Workloads() {
		fmt.Fprintf(ew, "\nworkload %s\n", wl)
		var notes footnotes
		var table bytes.Buffer
		tw := tabwriter.NewWriter(&table, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "queue\tmetric\told\tnew\tchange\tverdict")
		for _, d := range c.Deltas {
			if d.Workload != wl {
				continue
			}
			verdict := string(d.Verdict) + notes.mark(d.Notes, "(%d)")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				d.Queue(), d.label(), d.Old.format(d.Unit), d.New.format(d.Unit), d.ChangeString(), verdict, d.stat())
		}
		tw.Flush()
		for _, line := range strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n") {
			fmt.Fprintln(ew, strings.TrimRight(line, " "))
		}
		for i, n := range notes {
			fmt.Fprintf(ew, "(%d) %s\n", i+1, n)
		}
	}
	c.writeTrailer(ew, "")
	return ew.Err
}

// WriteMarkdown writes c as a markdown section ready for a pull-request
// comment: a summary line, then one table per workload.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	ew := &textio.ErrWriter{W: w}
	fmt.Fprintf(ew, "### chanbench compare\n\n")
	if worse := c.Regressions(MetricNames()); len(worse) > 0 {
		parts := make([]string, len(worse))
		for i, d := range worse {
			parts[i] = d.Summary(len(c.Workloads()) > 1)
		}
		fmt.Fprintf(ew, "**Worse:** %s\n\n", strings.Join(parts, ", "))
	} else {
		fmt.Fprintf(ew, "Nothing got significantly worse.\n\n")
	}
	fmt.Fprintf(ew, "OLD %s · NEW %s · alpha %g · threshold %s\n",
		c.Old.describe("`%s`"), c.New.describe("`%s`"), c.Alpha, pct(c.Threshold))
	for _, wl := range c.Workloads() {
		fmt.Fprintf(ew, "\n#### workload `%s`\n\n", wl)
		var notes footnotes
		fmt.Fprintln(ew, "| queue | metric | old | new | change | verdict | |")
		fmt.Fprintln(ew, "|:--|:--|--:|--:|--:|:--|:--|")
		for _, d := range c.Deltas {
			if d.Workload != wl {
				continue
			}
			verdict := string(d.Verdict)
			switch d.Verdict {
			case Worse, Better:
				verdict = "**" + verdict + "**"
			case NoChange:
				verdict = `\~`
			}
			verdict += notes.mark(d.Notes, "<sup>%d</sup>")
			fmt.Fprintf(ew, "| %s | %s | %s | %s | %s | %s | %s |\n",
				mdEscape(d.Queue()), d.label(), mdEscape(d.Old.format(d.Unit)), mdEscape(d.New.format(d.Unit)),
				d.ChangeString(), verdict, d.stat())
		}
		if len(notes) > 0 {
			fmt.Fprintln(ew)
		}
		for i, n := range notes {
			fmt.Fprintf(ew, "%d. %s\n", i+1, mdEscape(n))
		}
	}
	c.writeTrailer(ew, "- ")
	return ew.Err
}

// WriteJSON writes c as indented JSON.
func (c *Comparison) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// MarshalJSON writes non-finite numbers (a change from 0, an interval
// too wide to bound) as null: JSON has no infinity.
func (d Delta) MarshalJSON() ([]byte, error) {
	type plain Delta
	return json.Marshal(struct {
		plain
		Change *float64 `json:"change"`
	}{plain(d), finite(d.Change)})
}

// MarshalJSON writes infinite bounds as null.
func (c Center) MarshalJSON() ([]byte, error) {
	type plain Center
	return json.Marshal(struct {
		plain
		Lo *float64 `json:"lo"`
		Hi *float64 `json:"hi"`
	}{plain(c), finite(c.Lo), finite(c.Hi)})
}

func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}

// writeTrailer lists what was not compared and the notes, each line
// starting with bullet.
func (c *Comparison) writeTrailer(w io.Writer, bullet string) {
	var lines []string
	if len(c.OnlyOld) > 0 {
		lines = append(lines, "only in OLD, not compared: "+strings.Join(c.OnlyOld, ", "))
	}
	if len(c.OnlyNew) > 0 {
		lines = append(lines, "only in NEW, not compared: "+strings.Join(c.OnlyNew, ", "))
	}
	lines = append(lines, c.Notes...)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w)
	for _, l := range lines {
		fmt.Fprintln(w, bullet+l)
	}
}

// describe names the side: its path, formatted with pathFormat, the
// number of runs and the chanbench build.
func (s Side) describe(pathFormat string) string {
	runs := "1 run"
	if s.Runs != 1 {
		runs = fmt.Sprintf("%d runs", s.Runs)
	}
	return fmt.Sprintf(pathFormat+" (%s, chanbench %s)", s.Path, runs, s.Version)
}

// label names the metric in a table.
func (d *Delta) label() string {
	if d.Metric == OutcomeMetric {
		return OutcomeMetric
	}
	for _, m := range Metrics {
		if m.Name == d.Metric {
			return m.Label
		}
	}
	return d.Metric
}

// ChangeString writes Change as a signed percentage: "-30.0%".
func (d *Delta) ChangeString() string {
	switch {
	case d.Metric == OutcomeMetric:
		return ""
	case math.IsInf(d.Change, 1):
		return "+∞"
	case math.IsInf(d.Change, -1):
		return "-∞"
	}
	return fmt.Sprintf("%+.1f%%", 100*d.Change)
}

// Summary says what changed in a few words: "ring throughput -30.0%",
// "list outcome ok → oom"; withWorkload puts the workload first.
func (d *Delta) Summary(withWorkload bool) string {
	s := d.Queue() + " " + d.label() + " "
	if d.Metric == OutcomeMetric {
		s += d.Old.Outcome + " → " + d.New.Outcome
	} else {
		s += d.ChangeString()
	}
	if withWorkload {
		s = d.Workload + " " + s
	}
	return s
}

// stat writes the U test's p-value and sample sizes as benchstat does;
// for OutcomeMetric only the number of repetitions.
func (d *Delta) stat() string {
	n := fmt.Sprintf("n=%d", d.Old.N)
	if d.Old.N != d.New.N {
		n = fmt.Sprintf("n=%d+%d", d.Old.N, d.New.N)
	}
	if d.Metric == OutcomeMetric {
		return n
	}
	return fmt.Sprintf("p=%.3f %s", d.P, n)
}

// format writes the median in unit with an SI or binary prefix, and the
// confidence interval as ±percent when the samples are enough for one.
func (c Center) format(unit string) string {
	if c.Outcome != "" {
		return c.Outcome
	}
	s := formatValue(c.Median, unit)
	if c.Median != 0 && !math.IsInf(c.Lo, 0) && !math.IsInf(c.Hi, 0) {
		r := math.Max(c.Hi/c.Median-1, 1-c.Lo/c.Median)
		s += fmt.Sprintf(" ±%.0f%%", 100*r)
	}
	return s
}

// formatValue writes v in unit with three significant digits or more.
//
// It keeps benchunit's four digits rather than package units' three,
// which the rest of chanbench prints: compare sets two medians side by
// side, and at three digits they lose the difference it reports (p99s of
// 1.003µs and 2.005µs would read 1µs and 2µs, 102.5ns would read 103ns).
func formatValue(v float64, unit string) string {
	switch unit {
	case "msg/s":
		return benchunit.Scale(v, benchunit.Decimal) + " msg/s"
	case "ns":
		return benchunit.Scale(v*1e-9, benchunit.Decimal) + "s"
	case "B":
		return benchunit.Scale(v, benchunit.Binary) + "B"
	}
	return fmt.Sprintf("%.3g", v)
}

// pct writes a fraction as a percentage: 0.05 is "5%". It echoes a
// setting exactly (12.5%, 0.05%), where units.Percent would round it.
func pct(f float64) string {
	return fmt.Sprintf("%g%%", math.Round(f*1e6)/1e4)
}

// footnotes numbers distinct notes in order of first use.
type footnotes []string

// mark returns the markers of notes, each formatted with format, adding
// new notes to f.
func (f *footnotes) mark(notes []string, format string) string {
	var s string
	for _, n := range notes {
		i := 0
		for i < len(*f) && (*f)[i] != n {
			i++
		}
		if i == len(*f) {
			*f = append(*f, n)
		}
		s += " " + fmt.Sprintf(format, i+1)
	}
	return s
}

// mdEscape keeps s from breaking a markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "~", `\~`).Replace(s)
}
