package reports

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The charts, one file each, each built by a method of chartSet that
// returns nil where the runs hold no data for it:
//
//  1. chart_memory.go: RSS over time, the memory budget, the kills.
//  2. chart_depth.go: messages queued over time, a bounded queue's capacity.
//  3. chart_latency.go: latency by percentile, from the send and from the
//     schedule.
//  4. chart_throughput.go: a bar per queue, whiskers across repetitions.
//  5. chart_retained.go: peak RSS beside the RSS kept after the drain.
//  6. chart_scaling.go: throughput, p99 latency and peak RSS against the
//     swept parameter.
//
// This file holds what they share: the chart set and its lines (one per
// queue and run), their names in captions and legends, and the phases of
// a trial that the time series mark. internal/plotkit does the drawing.

// A Chart is one chart of a run, rendered.
type Chart struct {
	// Name is the chart's file name without an extension: memory, depth,
	// latency, throughput, retained or scaling.
	Name string
	// Title is the chart's heading; Caption states in a sentence or two
	// what it shows.
	Title, Caption string
	// PNG and SVG are the rendered images.
	PNG, SVG []byte
}

// ChartNames lists every chart Charts can draw, in the order the reports
// show them. Charts leaves out those the results have no data for:
// retained without an idle phase or memory kept, scaling without a sweep.
var ChartNames = []string{"memory", "depth", "latency", "throughput", "retained", "scaling"}

// Charts draws the charts of one or more runs. Several runs are drawn
// together on each chart, each queue's line labelled by run ("ring
// (before)"). A run that sweeps a parameter is drawn at its last swept
// value, and the scaling chart shows every value.
func Charts(runs ...*schema.Results) ([]Chart, error) {
	figs, err := figures(runs)
	if err != nil {
		return nil, err
	}
	out := make([]Chart, 0, len(figs))
	for _, f := range figs {
		ch, err := render(f, "png", "svg")
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// figures builds the charts of runs, in the order of ChartNames and
// without those the runs have no data for, and draws none of them: what
// each will show, its caption and axes, can be read off the figure.
func figures(runs []*schema.Results) ([]*plotkit.Figure, error) {
	if len(runs) == 0 {
		return nil, errors.New("draw charts: no results")
	}
	cs := newChartSet(newRunViews(runs))
	builders := []func() (*plotkit.Figure, error){cs.memory, cs.depth, cs.latency, cs.throughput, cs.retained, cs.scaling}
	var out []*plotkit.Figure
	for _, build := range builders {
		f, err := build()
		if err != nil {
			return nil, err
		}
		if f != nil {
			f.Foot = cs.foot
			out = append(out, f)
		}
	}
	return out, nil
}

// render draws f in each of formats, "png" or "svg", into a Chart. The
// drawing is the same for both; rasterising the PNG takes far longer.
func render(f *plotkit.Figure, formats ...string) (Chart, error) {
	ch := Chart{Name: f.Name, Title: f.Title, Caption: f.Caption}
	for _, format := range formats {
		data, err := f.Render(format)
		if err != nil {
			return Chart{}, err
		}
		if format == "png" {
			ch.PNG = data
		} else {
			ch.SVG = data
		}
	}
	return ch, nil
}

// A qline is one queue of one run: a line or a bar on the charts.
type qline struct {
	label string
	impl  string
	view  *runView
	row   *Row
	// trial is the median repetition, the one the time series show.
	trial  *schema.Trial
	style  QueueStyle
	growth growth
}

// ran reports whether the queue ran at all (it was not skipped).
func (l *qline) ran() bool { return l.row.Worst != schema.Skipped && l.trial != nil }

// legendText is the label with the outcome when it was not ok.
func (l *qline) legendText() string {
	if l.row.Worst == schema.OK {
		return l.label
	}
	return l.label + " – " + string(l.row.Worst)
}

// chartSet holds what every chart of the runs shares.
type chartSet struct {
	views []*runView
	lines []*qline
	// workload names the workload(s) for titles.
	workload string
	foot     []string
}

// newChartSet gathers the lines, title and footer the charts of views
// share.
func newChartSet(views []*runView) *chartSet {
	cs := &chartSet{views: views, lines: chartLines(views), workload: workloadTitle(views)}
	for _, v := range views {
		prefix := ""
		if len(views) > 1 {
			prefix = v.label + ": "
		}
		cs.foot = append(cs.foot, prefix+machineLine(v.r))
	}
	return cs
}

// chartLines returns a line for each queue shown of each of views, queues
// in the order they first appear and a queue's runs together, labelled by
// run when there are several.
func chartLines(views []*runView) []*qline {
	var order []string
	for _, v := range views {
		order = append(order, rowImpls(v.shown)...)
	}
	var lines []*qline
	for _, impl := range stableUnique(order) {
		for ri, v := range views {
			for i := range v.shown {
				row := &v.shown[i]
				if row.Impl != impl {
					continue
				}
				l := &qline{label: impl, impl: impl, view: v, row: row, trial: row.MedianTrial(), style: runStyle(impl, ri)}
				if len(views) > 1 {
					l.label = impl + " (" + v.label + ")"
				}
				l.growth = measureGrowth(l.trial, v.r.Machine)
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// workloadTitle names the workloads of views for the charts' titles, each
// with the swept value shown and the value size: "burst, 56 B values",
// "a vs b".
func workloadTitle(views []*runView) string {
	var names []string
	for _, v := range views {
		name := v.r.Workload.Name
		if v.at != "" {
			name += fmt.Sprintf(" (%s = %s)", v.r.Sweep.Key, v.at)
		}
		if v.r.Sweep == nil || v.r.Sweep.Key != "value_bytes" {
			name += fmt.Sprintf(", %d B values", v.r.Workload.Value())
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return strings.Join(names, " vs ")
}

// stableUnique returns xs without repeats, in the order first seen.
func stableUnique(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// machineLine says where and when a run happened, for chart footers.
func machineLine(r *schema.Results) string {
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
	if !r.Created.IsZero() {
		parts = append(parts, r.Created.UTC().Format("2006-01-02"))
	}
	if r.Tool.Version != "" {
		parts = append(parts, "chanbench "+r.Tool.Version)
	}
	return strings.Join(nonEmpty(parts), " · ")
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" && x != "/" {
			out = append(out, x)
		}
	}
	return out
}

// withSeries returns the lines that have a time series to draw.
func (cs *chartSet) withSeries() []*qline {
	var out []*qline
	for _, l := range cs.lines {
		if l.ran() && l.trial.Series.Len() > 0 {
			out = append(out, l)
		}
	}
	return out
}

// tickCount labels a count axis: 500, 1k, 2.5k, 1M.
func tickCount(v float64) string {
	if math.Abs(v) >= 1000 && math.Abs(v) < 1e4 {
		return units.Number(v/1e3) + "k"
	}
	return units.Count(v)
}

// legendEntry is a line of a chart's legend.
func legendEntry(text string, thumbs ...plot.Thumbnailer) plotkit.LegendEntry {
	return plotkit.LegendEntry{Text: text, Thumbs: thumbs}
}

// names lists the lines as "a, b and c", naming a queue once when it is
// there for every run and with its run otherwise.
func names(ls []*qline) string {
	runs := map[*runView]bool{}
	count := map[string]int{}
	var impls []string
	for _, l := range ls {
		runs[l.view] = true
		if count[l.impl] == 0 {
			impls = append(impls, l.impl)
		}
		count[l.impl]++
	}
	var s []string
	for _, impl := range impls {
		if count[impl] == len(runs) {
			s = append(s, impl)
			continue
		}
		for _, l := range ls {
			if l.impl == impl {
				s = append(s, l.label)
			}
		}
	}
	return joinAnd(s)
}

const mib = 1 << 20

// budgets returns the distinct memory budgets of the lines, in bytes.
func budgets(ls []*qline) []float64 {
	var out []float64
	for _, l := range ls {
		out = addBudget(out, trialBudget(l.trial, l.view.r))
	}
	return out
}

// trialBudget is the memory budget t ran under, in bytes: its own, or
// else its run's; 0 for none.
func trialBudget(t *schema.Trial, r *schema.Results) float64 {
	if b := float64(t.MemLimitBytes); b != 0 {
		return b
	}
	return float64(r.Workload.MemLimit)
}

// addBudget adds the budget b to bs unless it is there already or none.
func addBudget(bs []float64, b float64) []float64 {
	if b > 0 && !slices.Contains(bs, b) {
		bs = append(bs, b)
	}
	return bs
}

// killText labels the point where l's trial was killed: "list: oom at 0.9s".
func killText(l *qline) string {
	return fmt.Sprintf("%s: %s at %s", l.label, l.trial.Outcome, l.view.killTime(l.trial.Kill.AtMS/1000))
}

// phases are the moments of a trial the time-series charts mark, taken
// over the lines that reached them. Each queue reaches them at its own
// time (a queue that made the producers wait stops them later; a long
// queue drains later), so none is drawn at one median time: the producers'
// stop is a band from the first to the last, each queue's drain a mark on
// its own line, and the idle phase the time when every queue was idle.
type phases struct {
	// stopLo and stopHi are the first and last time the producers of a
	// line stopped, in seconds; 0 and 0 when none did.
	stopLo, stopHi float64
	// drains are the lines that drained, with the time each did.
	drains []drain
	// idleFrom and idleTo bound the time every drained line sat idle: from
	// the last drain to the first end of an idle phase; 0 and 0 without.
	idleFrom, idleTo float64
}

// A drain is when one line's queue had drained, in seconds.
type drain struct {
	l   *qline
	sec float64
}

// phasesOf finds the phases of ls.
func phasesOf(ls []*qline) phases {
	var ph phases
	var stops, idleEnds []float64
	for _, l := range ls {
		tp := l.trial.Phases
		if l.trial.Kill != nil {
			continue // killed before the phases it may report
		}
		if tp.ProducersDoneMS > 0 {
			stops = append(stops, tp.ProducersDoneMS/1000)
		}
		if tp.DrainedMS > 0 {
			ph.drains = append(ph.drains, drain{l, tp.DrainedMS / 1000})
			if tp.IdleDoneMS > 0 {
				idleEnds = append(idleEnds, tp.IdleDoneMS/1000)
			}
		}
	}
	if len(stops) > 0 {
		ph.stopLo, ph.stopHi = slices.Min(stops), slices.Max(stops)
	}
	if len(idleEnds) > 0 && len(idleEnds) == len(ph.drains) {
		last := 0.0
		for _, d := range ph.drains {
			last = math.Max(last, d.sec)
		}
		if first := slices.Min(idleEnds); first > last {
			ph.idleFrom, ph.idleTo = last, first
		}
	}
	return ph
}

// drainTimes returns the times the lines drained, in seconds.
func (ph phases) drainTimes() []float64 {
	var out []float64
	for _, d := range ph.drains {
		out = append(out, d.sec)
	}
	return out
}

// marks returns the plotters that draw ph: the bands and lines to go
// behind the data, their labels to go on top of everything, and each
// queue's drain mark on its own line at the height y gives for the line at
// that time.
func (ph phases) marks(y func(l *qline, sec float64) float64) (behind, labels, front plot.Plotter) {
	var spans []*plotkit.Span
	if ph.stopHi > 0 {
		spans = append(spans, &plotkit.Span{X0: ph.stopLo, X1: ph.stopHi, Label: "producers stopped", Shade: stopShade})
	}
	if ph.idleTo > ph.idleFrom {
		spans = append(spans, &plotkit.Span{X0: ph.idleFrom, X1: ph.idleTo, Label: "every queue drained: idle"})
	}
	marks := &plotkit.Notes{}
	for _, d := range ph.drains {
		marks.Items = append(marks.Items, plotkit.Note{X: d.sec, Y: y(d.l, d.sec), Glyph: drainGlyph(d.l.style.Color)})
	}
	return &plotkit.Spans{Spans: spans}, &plotkit.Spans{Spans: spans, Labels: true}, marks
}

// addDrains adds front, the drain marks from marks, to p once the lines
// are drawn, with their legend entry, and returns the caption's sentence
// on them; "" when no queue drained.
func (ph phases) addDrains(p *plotkit.Panel, f *plotkit.Figure, front plot.Plotter) string {
	if len(ph.drains) == 0 {
		return ""
	}
	p.Add(front)
	f.Legend = append(f.Legend, legendEntry("queue drained", plotkit.GlyphThumb{GlyphStyle: drainGlyph(plotkit.NoteColor)}))
	ds := ph.drainTimes()
	when := "at " + units.Seconds(ds[0])
	if len(ds) > 1 {
		if lo, hi := slices.Min(ds), slices.Max(ds); hi-lo >= 0.005 {
			when = "between " + units.Seconds(lo) + " and " + units.Seconds(hi)
		} else {
			when = "all at " + units.Seconds(lo)
		}
	}
	return fmt.Sprintf("A bar across a line marks when that queue had drained (%s).", when)
}

// sampleAt returns col's value at the sample of s nearest to sec, skipping
// samples where skip says so; ok is false when none is left.
func sampleAt(s *schema.Series, col []int64, sec float64, skip func(int64) bool) (v int64, ok bool) {
	best := math.Inf(1)
	for i, ms := range s.TMS {
		if skip != nil && skip(col[i]) {
			continue
		}
		if d := math.Abs(ms/1000 - sec); d < best {
			best, v, ok = d, col[i], true
		}
	}
	return v, ok
}

// timePanel returns a panel with the seconds of a trial along X, for the
// charts of the time series.
func timePanel() *plotkit.Panel {
	p := plotkit.NewPanel()
	p.X.Label.Text = "seconds since the producers started"
	p.X.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	return p
}

// drawSeries draws each line of ls as xys gives it, in the queue's style,
// with its legend entry, and returns a cross for each trial that was
// killed, at the height killY gives, for the caller to add (addKills)
// over what it draws next.
func drawSeries(p *plotkit.Panel, f *plotkit.Figure, ls []*qline, xys func(*qline) plotter.XYs, killY func(*schema.Kill) float64) (*plotkit.Notes, error) {
	kills := &plotkit.Notes{Bold: true}
	for i, l := range ls {
		if err := l.style.series().Add(p, xys(l), i, len(ls)); err != nil {
			return nil, err
		}
		f.Legend = append(f.Legend, legendEntry(l.legendText(), l.style.series()))
		if k := l.trial.Kill; k != nil {
			kills.Items = append(kills.Items, plotkit.Note{X: k.AtMS / 1000, Y: killY(k), Text: killText(l), Color: failColor, Glyph: killGlyph()})
		}
	}
	return kills, nil
}

// addKills adds the crosses of drawSeries to p and, when there are any,
// their legend entry to f.
func addKills(p *plotkit.Panel, f *plotkit.Figure, kills *plotkit.Notes) {
	p.Add(kills)
	if len(kills.Items) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
}

// addBar draws on p a bar of height v at x, width wide and moved offset
// from x, filled with fill and outlined by line.
func addBar(p *plotkit.Panel, x, v float64, width, offset vg.Length, fill color.Color, line draw.LineStyle) error {
	bar, err := plotter.NewBarChart(plotter.Values{v}, width)
	if err != nil {
		return err
	}
	bar.XMin, bar.Offset = x, offset
	bar.Color = fill
	bar.LineStyle = line
	p.Add(bar)
	return nil
}

func pronoun(ls []*qline) string {
	if len(ls) == 1 {
		return "it"
	}
	return "them"
}

// reps counts the repetitions of the queues the time-series charts show.
func (cs *chartSet) reps() repSpan {
	var rows []*Row
	for _, l := range cs.lines {
		rows = append(rows, l.row)
	}
	return repsOf(rows)
}
