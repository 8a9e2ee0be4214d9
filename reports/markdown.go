package reports

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// A document is the content report.md and index.html share: what ran,
// where, what was found, the numbers and the charts.
type document struct {
	Title string
	Runs  []runDoc
	// Charts are in the order the reports show them.
	Charts []Chart
}

// A runDoc is one run's part of a document.
type runDoc struct {
	// Label heads the run's section when the document has several runs.
	Label       string
	Description string
	Workload    string
	Machine     string
	Run         string
	Command     string
	// Interrupted is set when the run stopped before every trial ran.
	Interrupted bool
	Findings    []finding
	// Scaling says how each queue moved across a sweep.
	Scaling   []finding
	SweepNote string
	Table     docTable
	TableNote string
}

// A docTable is a table of text; Right marks right-aligned (numeric)
// columns.
type docTable struct {
	Head  []string
	Right []bool
	Rows  [][]string
}

// newDocument assembles the document for runs and their charts.
func newDocument(charts []Chart, runs []*schema.Results) *document {
	views := newRunViews(runs)
	d := &document{Charts: charts}
	var names, labels []string
	for _, v := range views {
		if !slices.Contains(names, v.r.Workload.Name) {
			names = append(names, v.r.Workload.Name)
		}
		labels = append(labels, v.label)
	}
	d.Title = "chanbench: " + strings.Join(names, ", ")
	if len(views) > 1 {
		d.Title += " (" + strings.Join(labels, " vs ") + ")"
	}
	for _, v := range views {
		rd := runDoc{
			Description: v.r.Workload.Description,
			Workload:    describeWorkload(v.r),
			Machine:     describeMachine(v.r),
			Run:         describeRun(v.r),
			Command:     strings.Join(v.r.Command, " "),
			Interrupted: v.r.Interrupted,
			Findings:    v.findings(),
			Scaling:     v.scalingFindings(),
		}
		if len(views) > 1 {
			rd.Label = v.label
		}
		if sw := v.r.Sweep; sw != nil && rd.Description != "" {
			// The description is the base workload's, which may give the
			// swept key one value.
			rd.Description += fmt.Sprintf(" This run swept %s over %s.", sw.Key, joinAnd(sweptValues(sw, proseValue)))
		}
		if v.at != "" {
			rd.SweepNote = fmt.Sprintf("Findings and the time-series charts are at %s = %s; the table and the scaling chart cover every value.", v.r.Sweep.Key, v.at)
		}
		rd.Table, rd.TableNote = summaryTable(v)
		d.Runs = append(d.Runs, rd)
	}
	return d
}

// describeWorkload states a run's parameters in one line. A swept key is
// given as the values it took, marked "(swept)", never as the base
// workload's value.
func describeWorkload(r *schema.Results) string {
	s := r.Workload
	swept := func(key string) (string, bool) {
		if r.Sweep == nil || r.Sweep.Key != key {
			return "", false
		}
		return orList(sweptValues(r.Sweep, proseValue)), true
	}
	var p []string
	producers, consumers := plural(s.Producers, "producer"), plural(s.Consumers, "consumer")
	if vs, ok := swept("producers"); ok {
		producers = vs + " producers (swept)"
	}
	if vs, ok := swept("consumers"); ok {
		consumers = vs + " consumers (swept)"
	}
	p = append(p, producers+" → "+consumers)
	rate, rateSwept := swept("rate")
	switch {
	case s.Burst != nil:
		p = append(p, fmt.Sprintf("each producer sends bursts of %s every %s", countOf(float64(s.Burst.Size), "message"), spanText(s.Burst.Every)))
		if rateSwept {
			p = append(p, "rate "+rate+" msg/s per producer (swept; the bursts set the pace)")
		}
	case rateSwept:
		p = append(p, rate+" msg/s per producer (swept)")
	case s.Rate > 0:
		p = append(p, fmt.Sprintf("%s per producer", humanRate(s.Rate)))
	default:
		p = append(p, "producers send as fast as the queue takes messages")
	}
	if s.Messages > 0 {
		p = append(p, countOf(float64(s.Messages), "message")+" in all")
	} else if s.Duration > 0 {
		p = append(p, "for "+spanText(s.Duration))
	}
	if vs, ok := swept("payload"); ok {
		p = append(p, "payload "+vs+" (swept)")
	} else if s.PayloadBytes > 0 {
		p = append(p, "payload "+units.Bytes(float64(s.PayloadBytes)))
	}
	if vs, ok := swept("value_bytes"); ok {
		p = append(p, "queued values of "+vs+" bytes (swept)")
	} else {
		p = append(p, fmt.Sprintf("queued values of %d bytes", s.Value()))
	}
	if st := s.Consumer.ServiceTime; st > 0 {
		c := "consumer " + st.String() + " per message"
		if s.Consumer.Jitter > 0 {
			c += " plus up to " + s.Consumer.Jitter.String()
		}
		p = append(p, c)
	}
	if vs, ok := swept("capacity"); ok {
		p = append(p, fmt.Sprintf("capacity %s (swept; policy %s) for bounded queues", vs, s.Policy))
	} else {
		p = append(p, fmt.Sprintf("capacity %d (policy %s) for bounded queues", s.Capacity, s.Policy))
	}
	if vs, ok := swept("gomaxprocs"); ok {
		p = append(p, "GOMAXPROCS "+vs+" (swept)")
	}
	if !s.DrainEnabled() {
		p = append(p, "no drain")
	}
	if s.Idle > 0 {
		p = append(p, "then "+spanText(s.Idle)+" idle")
	}
	if s.MemLimit > 0 {
		p = append(p, "memory budget "+units.Bytes(float64(s.MemLimit)))
	}
	p = append(p, describeRepetitions(r))
	return strings.Join(p, ", ") + "."
}

// spanText spells a span of the workload (its duration, idle, the time
// between bursts) as the report spells every span of a run: 3s, 0.5s.
func spanText(d workloads.Duration) string {
	if sec := d.D().Seconds(); sec >= 0.01 {
		return units.Seconds(sec)
	}
	return units.NS(float64(d))
}

// describeRepetitions says how many repetitions the run made of each
// queue: the Count it was asked for, and, where fewer were recorded (an
// interrupted run), how many were.
func describeRepetitions(r *schema.Results) string {
	rs := repsOf(rowPtrs(Summarize(r)))
	planned := max(r.Count, 1)
	if rs.ranHi == 0 || rs.ranLo == planned && rs.ranHi == planned {
		return plural(planned, "repetition")
	}
	got := fmt.Sprint(rs.ranLo)
	if rs.ranLo != rs.ranHi {
		got = fmt.Sprintf("%d to %d", rs.ranLo, rs.ranHi)
	}
	return fmt.Sprintf("%s planned, %s recorded per queue", plural(planned, "repetition"), got)
}

// describeMachine states the machine in one line; GOMAXPROCS is left out
// when the run swept it, since no one value held for every trial.
func describeMachine(r *schema.Results) string {
	m := r.Machine
	cores := plural(m.Cores, "core")
	if r.Sweep == nil || r.Sweep.Key != "gomaxprocs" {
		cores += fmt.Sprintf(" (GOMAXPROCS %d)", m.GOMAXPROCS)
	}
	parts := []string{m.CPU, cores}
	if m.MemoryBytes > 0 {
		parts = append(parts, units.Bytes(float64(m.MemoryBytes))+" RAM")
	}
	parts = append(parts, m.OS+"/"+m.Arch, m.GoVersion)
	return strings.Join(nonEmpty(parts), ", ") + "."
}

// describeRun says when the run happened and with which chanbench.
func describeRun(r *schema.Results) string {
	var s []string
	if !r.Created.IsZero() {
		s = append(s, r.Created.UTC().Format("2006-01-02 15:04 MST"))
	}
	if v := r.Tool.Version; v != "" {
		if r.Tool.Commit != "" {
			v += " (" + r.Tool.Commit + ")"
		}
		s = append(s, "chanbench "+v)
	}
	return strings.Join(s, " with ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// summaryTable lays out Summarize's rows, leaving out columns that would
// hold nothing but zeros, and returns the note that goes under it.
func summaryTable(v *runView) (docTable, string) {
	show := tableShowsOf(v)
	cols := summaryColumns(v, show)
	var t docTable
	for _, c := range cols {
		if c.keep {
			t.Head = append(t.Head, c.head)
			t.Right = append(t.Right, c.right)
		}
	}
	for i := range v.rows {
		row := &v.rows[i]
		var cells []string
		for _, c := range cols {
			if c.keep {
				cells = append(cells, c.cell(row))
			}
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, summaryNote(v, show)
}

// A tableShows says which of the summary table's optional columns, and
// the notes on them, a run has something for.
type tableShows struct {
	// blocked is set when some row was blocked a measured 0.5% or more,
	// sampled when some row's blocked time was only estimated.
	blocked, sampled bool
	// dropped, bad (lost, duplicated or reordered messages) and spread
	// (more than one repetition ended ok) are set when some row has them.
	dropped, bad, spread bool
	// retained is set when the run idled or some row kept 32 MiB or more.
	retained bool
}

// tableShowsOf says which optional columns v's rows have something for.
func tableShowsOf(v *runView) tableShows {
	var s tableShows
	for i := range v.rows {
		row := &v.rows[i]
		_, _, n := okThroughputs(row)
		s.spread = s.spread || n > 1
		s.blocked = s.blocked || (row.BlockedFraction >= 0.005 && !row.BlockedSampled)
		s.sampled = s.sampled || row.BlockedSampled
		s.dropped = s.dropped || row.Dropped > 0
		s.bad = s.bad || row.Lost+row.Duplicates+row.Reordered > 0
		s.retained = s.retained || row.Worst == schema.OK && row.RetainedRSS >= 32*mib
	}
	s.retained = s.retained || v.r.Workload.Idle > 0
	return s
}

// A summaryColumn is one column of the summary table: its heading,
// whether it is right-aligned, its cell for a row, and whether it is kept.
type summaryColumn struct {
	head  string
	right bool
	cell  func(*Row) string
	keep  bool
}

// summaryColumns lists every column the summary table may have, in order,
// each kept where show (or the run's sweep) calls for it.
func summaryColumns(v *runView, show tableShows) []summaryColumn {
	r := v.r
	cols := []summaryColumn{
		{head: "queue", cell: func(row *Row) string { return row.Impl }, keep: true},
		{head: "", cell: func(row *Row) string { return row.SweepValue }, keep: r.Sweep != nil},
		{head: "outcome", cell: v.outcomeCell, keep: true},
		{head: "msg/s", right: true, cell: func(row *Row) string { return okNum(row, row.Throughput, units.Count) }, keep: true},
		{head: "spread", right: true, cell: spreadCell, keep: show.spread},
		{head: "p50", right: true, cell: func(row *Row) string { return okNum(row, row.P50, units.NS) }, keep: true},
		{head: "p99", right: true, cell: func(row *Row) string { return okNum(row, row.P99, units.NS) }, keep: true},
		{head: "p99.9", right: true, cell: func(row *Row) string { return okNum(row, row.P999, units.NS) }, keep: true},
		{head: "peak RSS", right: true, cell: func(row *Row) string { return okNum(row, row.PeakRSS, units.Bytes) }, keep: true},
		{head: "retained", right: true, cell: func(row *Row) string { return okNum(row, row.RetainedRSS, units.Bytes) }, keep: show.retained},
		{head: "blocked", right: true, cell: func(row *Row) string {
			if row.BlockedSampled {
				return units.Missing // estimated, not measured: see the note
			}
			return okNum(row, row.BlockedFraction, units.Percent)
		}, keep: show.blocked},
		{head: "dropped", right: true, cell: func(row *Row) string { return okNum(row, row.Dropped, units.Count) }, keep: show.dropped},
		{head: "lost/dup/reord", right: true, cell: func(row *Row) string {
			return fmt.Sprintf("%d/%d/%d", row.Lost, row.Duplicates, row.Reordered)
		}, keep: show.bad},
	}
	if r.Sweep != nil {
		cols[1].head = r.Sweep.Key
	}
	return cols
}

// okNum formats x with f, or units.Missing where x is 0 because the row
// did not end ok.
func okNum(row *Row, x float64, f func(float64) string) string {
	if x == 0 && row.Worst != schema.OK {
		return units.Missing
	}
	return f(x)
}

// spreadCell is the row's throughput spread, or units.Missing where fewer
// than two repetitions ended ok.
func spreadCell(row *Row) string {
	if _, _, n := okThroughputs(row); n < 2 || row.Throughput == 0 {
		return units.Missing
	}
	return units.Percent(row.ThroughputSpread)
}

// summaryNote is the note under the summary table: what its figures are
// taken over, and what its optional columns mean.
func summaryNote(v *runView, show tableShows) string {
	rs := repsOf(rowPtrs(v.rows))
	note := "One repetition per queue"
	switch {
	case rs.over() != "":
		note = "Medians over " + rs.over()
		if rs.mixed() {
			note += " (peak RSS over every repetition that ran)"
		}
	case rs.ranHi > 1:
		note = "Figures from the one repetition of each queue that ended ok"
	}
	if show.spread {
		note += "; spread is (fastest − slowest) / median throughput"
	}
	if show.dropped {
		note += "; msg/s counts the messages delivered, not those dropped"
	}
	if show.bad {
		note += "; lost/dup/reord are totals over every repetition"
	}
	note += "; latency from enqueue to dequeue; – where the queue did not finish the run."
	if show.blocked && show.sampled {
		note += " " + blockedNote(v.rows)
	}
	return note
}

// outcomeCell is the outcome, with the kill time for a killed queue.
func (v *runView) outcomeCell(row *Row) string {
	t := row.MedianTrial()
	if t != nil && t.Kill != nil && !strings.Contains(row.Outcome, ",") {
		return fmt.Sprintf("%s at %s", row.Outcome, v.killTime(t.Kill.AtMS/1000))
	}
	return row.Outcome
}

// ReportFileName and HTMLFileName are the reports' names in a results
// directory; the charts sit beside them as NAME.png and NAME.svg.
const (
	ReportFileName = "report.md"
	HTMLFileName   = "index.html"
)

// WriteMarkdown writes the report of runs as Markdown, fit to paste into a
// pull request: the findings in numbers, the summary table and the charts,
// linked as NAME.png beside the report.
func WriteMarkdown(w io.Writer, charts []Chart, runs ...*schema.Results) error {
	d := newDocument(charts, runs)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", mdText(d.Title))
	section := "##"
	if len(d.Runs) > 1 {
		section = "###"
	}
	for _, rd := range d.Runs {
		if rd.Label != "" {
			fmt.Fprintf(&b, "\n## %s\n", mdText(rd.Label))
		}
		if rd.Description != "" {
			fmt.Fprintf(&b, "\n%s\n", mdText(rd.Description))
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "- **Workload:** %s\n", mdText(rd.Workload))
		fmt.Fprintf(&b, "- **Machine:** %s\n", mdText(rd.Machine))
		if rd.Run != "" || rd.Command != "" {
			fmt.Fprintf(&b, "- **Run:** %s", mdText(rd.Run))
			if rd.Command != "" {
				fmt.Fprintf(&b, ": `%s`", strings.ReplaceAll(rd.Command, "`", "'"))
			}
			b.WriteString("\n")
		}
		if rd.Interrupted {
			b.WriteString("\n**The run was interrupted:** only the trials that finished are reported.\n")
		}
		if len(rd.Findings) > 0 {
			fmt.Fprintf(&b, "\n%s Findings\n\n", section)
			if rd.SweepNote != "" {
				fmt.Fprintf(&b, "%s\n\n", mdText(rd.SweepNote))
			}
			writeMDFindings(&b, rd.Findings)
		}
		if len(rd.Scaling) > 0 {
			fmt.Fprintf(&b, "\n%s Scaling\n\n", section)
			writeMDFindings(&b, rd.Scaling)
		}
		fmt.Fprintf(&b, "\n%s Results\n\n", section)
		writeMDTable(&b, rd.Table)
		fmt.Fprintf(&b, "\n%s\n", mdText(rd.TableNote))
	}
	if len(d.Charts) > 0 {
		b.WriteString("\n## Charts\n")
		for _, c := range d.Charts {
			// The image carries the title and caption; the alt text repeats
			// them for readers who cannot see it.
			fmt.Fprintf(&b, "\n### %s\n\n![%s](%s.png)\n", mdText(chartHeading(c)), mdText(c.Title+". "+c.Caption), c.Name)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// chartHeading is the chart's title without the workload prefix.
func chartHeading(c Chart) string {
	if i := strings.LastIndex(c.Title, ": "); i >= 0 {
		return capitalize(c.Title[i+2:])
	}
	return c.Title
}

func writeMDFindings(b *bytes.Buffer, fs []finding) {
	for _, f := range fs {
		if f.Queue != "" {
			fmt.Fprintf(b, "- **%s** %s\n", mdText(f.Queue), mdText(f.Text))
		} else {
			fmt.Fprintf(b, "- %s\n", mdText(f.Text))
		}
	}
}

func writeMDTable(b *bytes.Buffer, t docTable) {
	cell := func(s string) string { return strings.ReplaceAll(mdText(s), "|", `\|`) }
	b.WriteString("|")
	for _, h := range t.Head {
		fmt.Fprintf(b, " %s |", cell(h))
	}
	b.WriteString("\n|")
	for _, right := range t.Right {
		if right {
			b.WriteString("--:|")
		} else {
			b.WriteString(":--|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, c := range row {
			fmt.Fprintf(b, " %s |", cell(c))
		}
		b.WriteString("\n")
	}
}

var htmlTagStart = regexp.MustCompile(`<([A-Za-z/!?])`)

// mdText escapes the characters Markdown would take for markup and keeps
// text that came from outside (a panic message) on one line.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	s = r.Replace(s)
	// A < only starts markup (an HTML tag) before a letter, /, ! or ?;
	// leave "<0.1%" readable.
	return htmlTagStart.ReplaceAllString(s, `\<$1`)
}
