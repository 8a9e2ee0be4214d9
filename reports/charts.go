package reports

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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

func newChartSet(views []*runView) *chartSet {
	cs := &chartSet{views: views}
	var order []string
	for _, v := range views {
		order = append(order, rowImpls(v.shown)...)
	}
	seen := map[string]bool{}
	for _, impl := range order {
		if seen[impl] {
			continue
		}
		seen[impl] = true
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
				cs.lines = append(cs.lines, l)
			}
		}
	}
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
	cs.workload = strings.Join(names, " vs ")
	for _, v := range views {
		prefix := ""
		if len(views) > 1 {
			prefix = v.label + ": "
		}
		cs.foot = append(cs.foot, prefix+machineLine(v.r))
	}
	return cs
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
		b := float64(l.trial.MemLimitBytes)
		if b == 0 {
			b = float64(l.view.r.Workload.MemLimit)
		}
		if b > 0 && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
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

// memory draws RSS over time: the chart that shows the trap.
func (cs *chartSet) memory() (*plotkit.Figure, error) {
	ls := cs.withSeries()
	if len(ls) == 0 {
		return nil, nil
	}
	p := plotkit.NewPanel()
	p.X.Label.Text = "seconds since the producers started"
	p.X.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	p.Y.Label.Text = "RSS (MiB)"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	ph := phasesOf(ls)
	behind, labels, front := ph.marks(func(l *qline, sec float64) float64 {
		s := &l.trial.Series
		v, _ := sampleAt(s, s.RSS, sec, func(rss int64) bool { return rss <= 0 })
		return float64(v) / mib
	})
	p.Add(behind)
	f := &plotkit.Figure{Name: "memory", Title: cs.workload + ": memory over time"}
	kills := &plotkit.Notes{Bold: true}
	var peak float64
	for i, l := range ls {
		s := &l.trial.Series
		var xys plotter.XYs
		for j := range s.TMS {
			// A live process always has some RSS; 0 is a sample taken
			// after the child exited.
			if s.RSS[j] <= 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: s.TMS[j] / 1000, Y: float64(s.RSS[j]) / mib})
			peak = math.Max(peak, float64(s.RSS[j])/mib)
		}
		if err := l.style.series().Add(p, xys, i, len(ls)); err != nil {
			return nil, err
		}
		f.Legend = append(f.Legend, legendEntry(l.legendText(), l.style.series()))
		if k := l.trial.Kill; k != nil {
			kills.Items = append(kills.Items, plotkit.Note{X: k.AtMS / 1000, Y: float64(k.RSSBytes) / mib, Text: killText(l), Color: failColor, Glyph: killGlyph()})
			peak = math.Max(peak, float64(k.RSSBytes)/mib)
		}
	}
	// The budget is drawn when a line comes near it; a budget far above
	// every line would squash them flat against the axis.
	bs := budgets(ls)
	top := peak
	var offChart []float64
	// Label the budget at the end away from the kills' labels.
	var killX []float64
	for _, it := range kills.Items {
		killX = append(killX, it.X)
	}
	labelLeft := len(killX) > 0 && Median(killX) > (p.X.Min+p.X.Max)/2
	for _, b := range bs {
		if b/mib > 2.5*peak {
			offChart = append(offChart, b)
			continue
		}
		top = math.Max(top, b/mib)
		p.Add(&plotkit.Rule{Y: b / mib, Style: draw.LineStyle{Color: failColor, Width: vg.Points(1.4), Dashes: []vg.Length{7, 4}},
			Label: fmt.Sprintf("memory budget %s: the trial is killed above it", units.Bytes(b)), Color: failColor, Shade: budgetShade, LabelLeft: labelLeft})
	}
	p.Add(kills)
	if len(kills.Items) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	drained := ph.addDrains(p, f, front)
	p.Add(labels)
	p.X.Min = math.Min(0, p.X.Min)
	p.Y.Min, p.Y.Max = 0, top*1.12
	f.Panels = []*plotkit.Panel{p}
	f.Caption = cs.memoryCaption(ls, bs)
	if drained != "" {
		f.Caption += " " + drained
	}
	if len(offChart) > 0 {
		f.Caption += fmt.Sprintf(" The %s memory budget is far above the chart.", units.Bytes(offChart[0]))
	}
	return f, nil
}

// memoryCaption states the chart's finding: who was killed, who grew, who
// held on to memory and who stayed flat.
func (cs *chartSet) memoryCaption(ls []*qline, bs []float64) string {
	var killed, grew, rest []*qline
	minPeak := math.Inf(1)
	for _, l := range ls {
		switch {
		case l.trial.Outcome == schema.OOM:
			killed = append(killed, l)
		case l.growth.Unbounded:
			grew = append(grew, l)
		default:
			rest = append(rest, l)
			minPeak = math.Min(minPeak, float64(l.trial.PeakRSSBytes))
		}
	}
	// Of the rest, those that rose well above the leanest queue.
	var big, flat []*qline
	var bigPeak, flatPeak float64
	bigKept := math.Inf(1)
	for _, l := range rest {
		if pk := float64(l.trial.PeakRSSBytes); pk >= 2*minPeak && pk-minPeak >= 16*mib {
			big = append(big, l)
			bigPeak = math.Max(bigPeak, pk)
			bigKept = math.Min(bigKept, float64(l.trial.RetainedRSSBytes))
		} else {
			flat = append(flat, l)
			flatPeak = math.Max(flatPeak, pk)
		}
	}
	var s []string
	if len(killed) > 0 {
		budget := "memory budget"
		if len(bs) == 1 {
			budget = units.Bytes(bs[0]) + " budget"
		}
		s = append(s, fmt.Sprintf("%s grew until the %s killed %s (red crosses).", capitalize(names(killed)), budget, pronoun(killed)))
	}
	if len(grew) > 0 {
		s = append(s, fmt.Sprintf("%s grew for as long as the run lasted.", capitalize(names(grew))))
	}
	if len(big) > 0 {
		text := fmt.Sprintf("%s rose to as much as %s", capitalize(names(big)), units.Bytes(bigPeak))
		if bigKept > 0 && !math.IsInf(bigKept, 1) {
			text += fmt.Sprintf(" and still held at least %s at the end", units.Bytes(bigKept))
		}
		s = append(s, text+".")
	}
	if len(flat) > 0 && len(flat) < len(ls) {
		s = append(s, fmt.Sprintf("%s stayed under %s.", capitalize(names(flat)), units.Bytes(flatPeak*1.05)))
	}
	if len(s) == 0 {
		s = append(s, fmt.Sprintf("Resident memory of each queue's process: every queue stayed under %s.", units.Bytes(flatPeak*1.05)))
	}
	if rs := cs.reps(); rs.ranHi > 1 {
		s = append(s, "Each line is one repetition per queue: the one with the median throughput (or, for a queue that failed, the median peak RSS).")
	}
	return strings.Join(s, " ")
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

// depth draws the queue length over time, on a log scale when it spans
// decades.
func (cs *chartSet) depth() (*plotkit.Figure, error) {
	ls := cs.withSeries()
	if len(ls) == 0 {
		return nil, nil
	}
	lo, hi := math.Inf(1), 0.0
	for _, l := range ls {
		for _, d := range l.trial.Series.Depth {
			if d > 0 {
				lo = math.Min(lo, float64(d))
			}
			hi = math.Max(hi, float64(d))
		}
	}
	if hi == 0 {
		return nil, nil
	}
	logY := hi/lo >= 30
	floor := 0.0
	if logY {
		floor = 1
	}
	p := plotkit.NewPanel()
	p.X.Label.Text = "seconds since the producers started"
	p.X.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	p.Y.Label.Text = "messages queued"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
	if logY {
		p.LogAxisTitle("messages queued (log scale)")
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plotkit.LogTicks{Format: func(v float64) string {
			if v == 1 {
				return "0–1" // depths of 0 are drawn at 1
			}
			return tickCount(v)
		}}
	}
	ph := phasesOf(ls)
	behind, labels, front := ph.marks(func(l *qline, sec float64) float64 {
		s := &l.trial.Series
		v, _ := sampleAt(s, s.Depth, sec, nil)
		return math.Max(floor, float64(v))
	})
	p.Add(behind)
	// Bounded queues stop at their capacity: draw it, and say who held to it.
	var caps []float64
	var held, took []*qline
	var tookMax float64
	for _, l := range ls {
		c := float64(l.trial.Params.Capacity)
		if c > 0 && !l.growth.Unbounded && float64(l.trial.PeakDepth) <= c*1.05 {
			held = append(held, l)
			if float64(l.trial.PeakDepth) >= c*0.9 && !slices.Contains(caps, c) {
				caps = append(caps, c)
				p.Add(&plotkit.Rule{Y: c, Style: draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(0.9), Dashes: []vg.Length{2, 2}},
					Label: "capacity " + units.Count(c), Color: plotkit.NoteColor})
			}
			continue
		}
		if !l.growth.Unbounded {
			took = append(took, l)
			tookMax = math.Max(tookMax, float64(l.trial.PeakDepth))
		}
	}
	f := &plotkit.Figure{Name: "depth", Title: cs.workload + ": queue depth over time"}
	kills := &plotkit.Notes{Bold: true}
	for i, l := range ls {
		s := &l.trial.Series
		xys := make(plotter.XYs, s.Len())
		for j := range xys {
			xys[j] = plotter.XY{X: s.TMS[j] / 1000, Y: math.Max(floor, float64(s.Depth[j]))}
		}
		if err := l.style.series().Add(p, xys, i, len(ls)); err != nil {
			return nil, err
		}
		f.Legend = append(f.Legend, legendEntry(l.legendText(), l.style.series()))
		if k := l.trial.Kill; k != nil {
			kills.Items = append(kills.Items, plotkit.Note{X: k.AtMS / 1000, Y: math.Max(floor, float64(k.Depth)), Text: killText(l), Color: failColor, Glyph: killGlyph()})
		}
	}
	p.Add(kills)
	if len(kills.Items) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	drained := ph.addDrains(p, f, front)
	p.Add(labels)
	p.X.Min = math.Min(0, p.X.Min)
	if logY {
		p.Y.Min, p.Y.Max = 1, math.Pow(10, math.Ceil(math.Log10(hi*1.5)))
	} else {
		p.Y.Min, p.Y.Max = 0, hi*1.1
	}
	f.Panels = []*plotkit.Panel{p}

	var grew []*qline
	for _, l := range ls {
		if l.growth.Unbounded {
			grew = append(grew, l)
		}
	}
	s := []string{"Messages waiting in each queue."}
	if len(grew) > 0 {
		var most float64
		for _, l := range grew {
			most = math.Max(most, l.growth.EndDepth)
		}
		s = append(s, fmt.Sprintf("%s kept growing, to %s.", capitalize(names(grew)), countOf(most, "message")))
	}
	if len(took) > 0 {
		s = append(s, fmt.Sprintf("%s took the load in, up to %s.", capitalize(names(took)), countOf(tookMax, "message")))
	}
	if len(held) > 0 && len(caps) > 0 {
		its := "their"
		if len(held) == 1 {
			its = "its"
		}
		s = append(s, fmt.Sprintf("%s never held more than %s capacity of %s: %s.", capitalize(names(held)), its, units.Count(caps[0]), whenFull(held)))
	}
	if drained != "" {
		s = append(s, drained)
	}
	if logY {
		s = append(s, "Log scale: each gridline is ten times the one below.")
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}

// schedCaption says what latency from the schedule adds for the queues
// whose producers blocked and those whose producers never did.
func schedCaption(blocked, free []*qline) string {
	const wait = "the time messages waited for their producer to get to them"
	switch {
	case len(blocked) == 0:
		return "no producer blocked, so what it adds is " + wait + "."
	case len(free) == 0:
		return "what it adds includes the time producers spent blocked by backpressure, which latency from the send leaves out."
	}
	return fmt.Sprintf("for %s what it adds includes the time producers spent blocked by backpressure; %s never blocked their producers, so for them it adds %s.", names(blocked), names(free), wait)
}

// whenFull says what the queues of ls did when full, from the policy their
// trials ran under.
func whenFull(ls []*qline) string {
	var policies []string
	for _, l := range ls {
		if p := l.trial.Params.Policy; !slices.Contains(policies, p) {
			policies = append(policies, p)
		}
	}
	switch {
	case len(policies) == 1 && (policies[0] == "block" || policies[0] == ""):
		return "a full bounded queue makes the producers wait"
	case !slices.Contains(policies, "block") && !slices.Contains(policies, ""):
		return fmt.Sprintf("a full bounded queue drops or refuses messages (policy %s) instead of making the producers wait", strings.Join(policies, ", "))
	}
	return "a full bounded queue makes the producers wait or drops messages, as its policy says"
}

// latency draws each queue's latency distribution, HDR-style: latency
// against percentile, both on log axes, the percentile axis as 1/(1-p) so
// that 90%, 99%, 99.9% and 99.99% are evenly spaced.
func (cs *chartSet) latency() (*plotkit.Figure, error) {
	type dist struct {
		l          *qline
		measured   *schema.Latency
		fromIntent *schema.Latency
	}
	var ds []dist
	var without, blocked, free []*qline
	intended := false
	for _, l := range cs.lines {
		if !l.ran() {
			continue
		}
		if l.trial.Latency == nil {
			without = append(without, l)
			continue
		}
		ds = append(ds, dist{l, l.trial.Latency, l.trial.IntendedLatency})
		if l.trial.IntendedLatency != nil {
			intended = true
			if l.row.BlockedFraction > 0 {
				blocked = append(blocked, l)
			} else {
				free = append(free, l)
			}
		}
	}
	if len(ds) == 0 {
		return nil, nil
	}
	curve := func(lat *schema.Latency) plotter.XYs {
		var xys plotter.XYs
		pts := lat.Percentiles
		if len(pts) == 0 {
			pts = []schema.Percentile{{P: 0, NS: lat.P50}, {P: 50, NS: lat.P50}, {P: 90, NS: lat.P90}, {P: 99, NS: lat.P99}, {P: 99.9, NS: lat.P999}, {P: 99.99, NS: lat.P9999}}
		}
		for _, pt := range pts {
			if pt.P < 0 || pt.P >= 100 {
				continue
			}
			xys = append(xys, plotter.XY{X: 1 / (1 - pt.P/100), Y: math.Max(1, float64(pt.NS))})
		}
		return xys
	}
	panel := func(title string, pick func(dist) *schema.Latency) (*plotkit.Panel, error) {
		p := plotkit.NewPanel()
		p.LogAxisTitle(title)
		p.X.Label.Text = "percentile"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
		for i, d := range ds {
			lat := pick(d)
			if lat == nil {
				continue
			}
			if err := d.l.style.series().Add(p, curve(lat), i, len(ds)); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	f := &plotkit.Figure{Name: "latency", Title: cs.workload + ": latency by percentile"}
	p, err := panel("latency (log scale)", func(d dist) *schema.Latency { return d.measured })
	if err != nil {
		return nil, err
	}
	f.Panels = []*plotkit.Panel{p}
	if intended {
		p.Title.Text = "latency from enqueue to dequeue"
		title := "latency from the intended send time"
		if len(blocked) > 0 {
			title += " (blocking counts)"
		}
		q, err := panel(title, func(d dist) *schema.Latency { return d.fromIntent })
		if err != nil {
			return nil, err
		}
		f.Panels = append(f.Panels, q)
		f.Width = plotkit.WideWidth
	}
	// Shared axes, so the panels compare at a glance.
	xmax, ylo, yhi := 2.0, math.Inf(1), 0.0
	for _, q := range f.Panels {
		xmax = math.Max(xmax, q.X.Max)
		ylo, yhi = math.Min(ylo, q.Y.Min), math.Max(yhi, q.Y.Max)
	}
	xmax = math.Pow(10, math.Ceil(math.Log10(xmax)-1e-9))
	for _, q := range f.Panels {
		q.X.Min, q.X.Max = 1, xmax
		q.X.Tick.Marker = plotkit.PercentileTicks(xmax)
		q.Y.Min = math.Pow(10, math.Floor(math.Log10(ylo)))
		q.Y.Max = math.Pow(10, math.Ceil(math.Log10(yhi*1.01)))
	}
	for _, d := range ds {
		f.Legend = append(f.Legend, legendEntry(d.l.legendText(), d.l.style.series()))
	}
	var s []string
	s = append(s, "Read along a line to see how slow the slowest 1 in 10, 100, 1000 and 10000 messages were; lower is better.")
	if intended {
		s = append(s, "The right panel counts from when the schedule meant each message to be sent: "+schedCaption(blocked, free))
	}
	if len(without) > 0 {
		verb := "was"
		if len(without) > 1 {
			verb = "were"
		}
		s = append(s, fmt.Sprintf("%s %s killed before reporting latency.", capitalize(names(without)), verb))
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}

// throughput draws a bar per queue: the median rate, whiskers from the
// slowest to the fastest repetition, and failures marked in place.
func (cs *chartSet) throughput() (*plotkit.Figure, error) {
	if len(cs.lines) == 0 {
		return nil, nil
	}
	p := plotkit.NewPanel()
	p.Y.Label.Text = "messages received per second"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
	width := vg.Length(math.Min(48, float64(plotkit.Width-2*vg.Inch)/float64(len(cs.lines))*0.6))
	labels := &plotkit.Notes{}
	fails := &plotkit.Notes{Bold: true}
	var errs plotkit.ErrorPoints
	var top float64
	hollow := false
	var axis []string
	var dropped []*qline
	for i, l := range cs.lines {
		axis = append(axis, strings.Replace(l.label, " (", "\n(", 1))
		x := float64(i)
		var oks []float64
		for _, t := range l.row.Trials {
			if t.Outcome == schema.OK {
				oks = append(oks, t.Throughput)
			}
		}
		if len(oks) > 0 {
			v := l.row.Throughput
			bar, err := plotter.NewBarChart(plotter.Values{v}, width)
			if err != nil {
				return nil, err
			}
			bar.XMin = x
			bar.Color = l.style.Color
			bar.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1)}
			p.Add(bar)
			lo, hi := slices.Min(oks), slices.Max(oks)
			if len(oks) > 1 {
				errs.XYs = append(errs.XYs, plotter.XY{X: x, Y: v})
				errs.YErrors = append(errs.YErrors, struct{ Low, High float64 }{v - lo, hi - v})
			}
			top = math.Max(top, hi)
			text := units.Count(v)
			if share := dropShare(l.row); share >= materialDrop {
				text += "\ndropped " + units.Percent(share)
				dropped = append(dropped, l)
			}
			if n := len(l.row.Trials) - len(oks); n > 0 {
				text += fmt.Sprintf("\n%d of %d failed", n, len(l.row.Trials))
				fails.Items = append(fails.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: failColor, Above: true})
				continue
			}
			labels.Items = append(labels.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: plotkit.NoteColor, Above: true})
			continue
		}
		t := l.trial
		switch {
		case l.row.Worst == schema.Skipped:
			labels.Items = append(labels.Items, plotkit.Note{X: x, Y: 0, Text: "skipped", Color: plotkit.NoteColor, Above: true})
		case t != nil && t.Kill != nil && t.Kill.AtMS > 0:
			// Draw what it managed until the kill, hollow, so that a failed
			// queue is neither hidden nor mistaken for a result.
			v := float64(t.Kill.Received) / (t.Kill.AtMS / 1000)
			bar, err := plotter.NewBarChart(plotter.Values{v}, width)
			if err != nil {
				return nil, err
			}
			bar.XMin = x
			bar.Color = plotkit.Lighten(l.style.Color, 0.85)
			bar.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1.4), Dashes: []vg.Length{4, 3}}
			p.Add(bar)
			hollow = true
			top = math.Max(top, v)
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: v, Text: fmt.Sprintf("%s at %s", t.Outcome, l.view.killTime(t.Kill.AtMS/1000)), Color: failColor, Glyph: killGlyph(), Above: true})
		default:
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: 0, Text: string(l.row.Worst), Color: failColor, Glyph: killGlyph(), Above: true})
		}
	}
	if len(errs.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(errs)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(1.2)}
		eb.CapWidth = width / 3
		p.Add(eb)
	}
	p.Add(labels, fails)
	p.NominalX(axis...)
	p.X.Min, p.X.Max = -0.6, float64(len(cs.lines))-0.4
	p.Y.Min = 0
	if top == 0 {
		top = 1
	}
	p.Y.Max = top * 1.18
	f := &plotkit.Figure{Name: "throughput", Title: cs.workload + ": throughput", Panels: []*plotkit.Panel{p}}
	s := []string{"One repetition per queue."}
	if over := cs.reps().over(); over != "" {
		s[0] = "Median of " + over + "; whiskers span the slowest to the fastest."
	}
	if hollow {
		s = append(s, "Hollow bars with a red cross were killed: they show the rate until the kill, not a result.")
	}
	if len(dropped) > 0 {
		s = append(s, fmt.Sprintf("%s dropped messages by policy, as labelled: a bar counts only the messages delivered, so it does not compare with those of queues that delivered every message.", capitalize(names(dropped))))
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}

// retained draws, per queue, the peak RSS beside the RSS left once the
// queue had drained (and idled): memory the process kept.
func (cs *chartSet) retained() (*plotkit.Figure, error) {
	idle, kept, measured := false, false, false
	var ls []*qline
	for _, l := range cs.lines {
		if !l.ran() {
			continue
		}
		ls = append(ls, l)
		idle = idle || l.view.r.Workload.Idle > 0
		measured = measured || l.row.Worst == schema.OK && l.row.RetainedRSS > 0
		kept = kept || l.row.Worst == schema.OK && l.row.RetainedRSS >= 32*mib
	}
	if !measured || !idle && !kept {
		return nil, nil
	}
	after := "after the drain"
	if idle {
		after = "after the drain and idle"
		if d := ls[0].view.r.Workload.Idle; d > 0 && allIdle(ls, d.String()) {
			after = "after the drain and " + spanText(d) + " idle"
		}
	}
	p := plotkit.NewPanel()
	p.Y.Label.Text = "RSS (MiB)"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	width := vg.Length(math.Min(26, float64(plotkit.Width-2*vg.Inch)/float64(len(ls))*0.33))
	labels := &plotkit.Notes{}
	fails := &plotkit.Notes{Bold: true}
	var axis []string
	var top float64
	var most *qline
	for i, l := range ls {
		axis = append(axis, strings.Replace(l.label, " (", "\n(", 1))
		x := float64(i)
		peak := l.row.PeakRSS / mib
		top = math.Max(top, peak)
		pb, err := plotter.NewBarChart(plotter.Values{peak}, width)
		if err != nil {
			return nil, err
		}
		pb.XMin, pb.Offset = x, -width/2-1
		pb.Color = l.style.Color
		pb.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1)}
		p.Add(pb)
		if l.row.Worst != schema.OK || l.row.RetainedRSS == 0 {
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: peak, Text: string(l.row.Worst), Color: failColor, Above: true})
			continue
		}
		kept := l.row.RetainedRSS / mib
		rb, err := plotter.NewBarChart(plotter.Values{kept}, width)
		if err != nil {
			return nil, err
		}
		rb.XMin, rb.Offset = x, width/2+1
		rb.Color = plotkit.Lighten(l.style.Color, 0.7)
		rb.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1.2)}
		p.Add(rb)
		labels.Items = append(labels.Items, plotkit.Note{X: x, Y: math.Max(peak, kept), Text: fmt.Sprintf("%s → %s", units.Number(peak), units.Number(kept)), Color: plotkit.NoteColor, Above: true})
		if most == nil || kept > most.row.RetainedRSS/mib {
			most = l
		}
	}
	p.Add(labels, fails)
	p.NominalX(axis...)
	p.X.Min, p.X.Max = -0.6, float64(len(ls))-0.4
	p.Y.Min, p.Y.Max = 0, top*1.15
	f := &plotkit.Figure{Name: "retained", Title: cs.workload + ": memory kept " + after, Panels: []*plotkit.Panel{p}}
	f.Legend = []plotkit.LegendEntry{
		legendEntry("peak RSS", plotkit.BoxThumb{Fill: plotkit.NoteColor, Outline: draw.LineStyle{Color: plotkit.NoteColor, Width: 1}}),
		legendEntry("RSS "+after, plotkit.BoxThumb{Fill: plotkit.Lighten(plotkit.NoteColor, 0.7), Outline: draw.LineStyle{Color: plotkit.NoteColor, Width: 1.2}}),
	}
	s := []string{"Left bar: the most RSS the process reached; right bar: what it still held " + after + " (MiB, labelled peak → kept)."}
	if most != nil {
		s = append(s, fmt.Sprintf("%s kept the most: %s of its %s peak.", capitalize(most.label), units.Bytes(most.row.RetainedRSS), units.Bytes(most.row.PeakRSS)))
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}

func allIdle(ls []*qline, d string) bool {
	for _, l := range ls {
		if l.view.r.Workload.Idle.String() != d {
			return false
		}
	}
	return true
}

// scaling draws throughput, p99 latency and, where it moves, peak RSS
// against the swept parameter, one line per queue.
func (cs *chartSet) scaling() (*plotkit.Figure, error) {
	var views []*runView
	var values []string
	key := ""
	for _, v := range cs.views {
		if v.r.Sweep == nil {
			continue
		}
		views = append(views, v)
		if key == "" {
			key = v.r.Sweep.Key
		}
		for _, val := range v.r.Sweep.Values {
			if !slices.Contains(values, val) {
				values = append(values, val)
			}
		}
	}
	if len(views) == 0 || len(values) < 2 {
		return nil, nil
	}
	pos := map[string]float64{}
	for i, val := range values {
		pos[val] = float64(i)
	}
	var lines []scalingLine
	var impls []string
	for _, v := range views {
		impls = append(impls, rowImpls(v.rows)...)
	}
	for _, impl := range stableUnique(impls) {
		for _, v := range views {
			sl := scalingLine{label: impl, style: runStyle(impl, indexOf(cs.views, v))}
			if len(cs.views) > 1 {
				sl.label = impl + " (" + v.label + ")"
			}
			for i := range v.rows {
				if row := &v.rows[i]; row.Impl == impl {
					sl.pts = append(sl.pts, scalingPoint{pos[row.SweepValue], row})
				}
			}
			if len(sl.pts) > 0 {
				sort.SliceStable(sl.pts, func(a, b int) bool { return sl.pts[a].x < sl.pts[b].x })
				lines = append(lines, sl)
			}
		}
	}
	ticks := make(plot.ConstantTicks, len(values))
	for i, val := range values {
		ticks[i] = plot.Tick{Value: float64(i), Label: val}
	}
	setX := func(p *plotkit.Panel) {
		p.X.Label.Text = key
		p.X.Tick.Marker = ticks
		p.X.Min, p.X.Max = -0.25, float64(len(values)-1)+0.25
	}
	// draw1 draws each line where m gives a value, broken where it gives
	// none, so that a gap reads as "no result"; it returns a note for each
	// failed point.
	draw1 := func(p *plotkit.Panel, m func(*Row) (float64, bool), floor float64) (fails []plotkit.Note, err error) {
		for i, sl := range lines {
			var seg plotter.XYs
			flush := func() error {
				err := sl.style.series().Add(p, seg, i, len(lines))
				seg = nil
				return err
			}
			for _, pt := range sl.pts {
				if v, ok := m(pt.row); ok {
					seg = append(seg, plotter.XY{X: pt.x, Y: math.Max(v, floor)})
					continue
				}
				if err := flush(); err != nil {
					return nil, err
				}
				if w := pt.row.Worst; w != schema.OK && w != schema.Skipped {
					fails = append(fails, plotkit.Note{X: pt.x, Text: sl.label + ": " + string(w), Color: failColor, Glyph: killGlyph()})
				}
			}
			if err := flush(); err != nil {
				return nil, err
			}
		}
		return fails, nil
	}
	okThr := func(r *Row) (float64, bool) { return r.Throughput, r.Throughput > 0 }
	p99 := func(r *Row) (float64, bool) { return r.P99, r.P99 > 0 }

	thr := plotkit.NewPanel()
	thr.Title.Text = "throughput (msg/s)"
	setX(thr)
	fails, err := draw1(thr, okThr, 0)
	if err != nil {
		return nil, err
	}
	lo, hi := rangeOf(lines, okThr)
	if hi > 0 && hi/lo >= 10 {
		thr.Y.Scale = plot.LogScale{}
		thr.Y.Tick.Marker = plotkit.LogTicks{Format: tickCount}
		thr.LogAxisTitle("throughput (msg/s, log scale)")
		thr.Y.Min, thr.Y.Max = math.Pow(10, math.Floor(math.Log10(lo/1.5))), math.Pow(10, math.Ceil(math.Log10(hi*1.1)))
	} else {
		thr.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
		thr.Y.Min, thr.Y.Max = 0, math.Max(hi*1.15, 1)
	}
	for i := range fails {
		fails[i].Y = thr.Y.Min
	}
	thr.Add(&plotkit.Notes{Items: fails, Bold: true})

	lat := plotkit.NewPanel()
	lat.LogAxisTitle("p99 latency (log scale)")
	lat.Y.Scale = plot.LogScale{}
	lat.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
	setX(lat)
	if _, err := draw1(lat, p99, 1); err != nil {
		return nil, err
	}
	if lo, hi := rangeOf(lines, p99); hi > 0 {
		lat.Y.Min, lat.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*1.01)))
	} else {
		lat.Y.Min, lat.Y.Max = 1, 10
	}

	f := &plotkit.Figure{Name: "scaling", Title: fmt.Sprintf("%s: scaling with %s", cs.workloadNames(views), key), Panels: []*plotkit.Panel{thr, lat}}

	// Peak RSS, when memory is part of the story: a kill, or a spread.
	killed := false
	for _, sl := range lines {
		for _, pt := range sl.pts {
			killed = killed || pt.row.Worst == schema.OOM
		}
	}
	peak := func(r *Row) (float64, bool) { return r.PeakRSS / mib, r.PeakRSS > 0 && r.Worst != schema.Skipped }
	if plo, phi := rangeOf(lines, peak); killed || phi > 1.5*plo && phi > 0 {
		mem := plotkit.NewPanel()
		mem.Title.Text = "peak RSS (MiB)"
		mem.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
		setX(mem)
		var kills []plotkit.Note
		for i, sl := range lines {
			var xys plotter.XYs
			for _, pt := range sl.pts {
				if v, ok := peak(pt.row); ok {
					xys = append(xys, plotter.XY{X: pt.x, Y: v})
					if pt.row.Worst == schema.OOM {
						kills = append(kills, plotkit.Note{X: pt.x, Y: v, Color: failColor, Glyph: killGlyph()})
					}
				}
			}
			if err := sl.style.series().Add(mem, xys, i, len(lines)); err != nil {
				return nil, err
			}
		}
		var ls []*qline
		for _, v := range views {
			for i := range v.rows {
				ls = append(ls, &qline{view: v, row: &v.rows[i], trial: v.rows[i].MedianTrial()})
			}
		}
		for _, b := range budgets(ls) {
			mem.Add(&plotkit.Rule{Y: b / mib, Style: draw.LineStyle{Color: failColor, Width: vg.Points(1.2), Dashes: []vg.Length{7, 4}},
				Label: "budget " + units.Bytes(b), Color: failColor, Shade: budgetShade, LabelLeft: true})
		}
		mem.Add(&plotkit.Notes{Items: kills})
		mem.Y.Min = 0
		mem.Y.Max *= 1.1
		f.Panels = append(f.Panels, mem)
	}
	f.Width = plotkit.WideWidth
	for _, sl := range lines {
		f.Legend = append(f.Legend, legendEntry(sl.label, sl.style.series()))
	}
	if len(fails) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	f.Caption = fmt.Sprintf("Each point is one queue at one value of %s", key)
	var rows []*Row
	for _, v := range views {
		rows = append(rows, rowPtrs(v.rows)...)
	}
	if over := repsOf(rows).over(); over != "" {
		f.Caption += ", the median of " + over
	}
	f.Caption += ". A gap is a queue that was skipped or failed there; a red cross marks a trial that was killed."
	return f, nil
}

func (cs *chartSet) workloadNames(views []*runView) string {
	var names []string
	for _, v := range views {
		if !slices.Contains(names, v.r.Workload.Name) {
			names = append(names, v.r.Workload.Name)
		}
	}
	return strings.Join(names, " vs ")
}

// A scalingLine is one queue of one run across the swept values.
type scalingLine struct {
	label string
	style QueueStyle
	pts   []scalingPoint
}

// A scalingPoint is a row at the position x of its sweep value.
type scalingPoint struct {
	x   float64
	row *Row
}

// rangeOf returns the least and greatest positive value m gives over the
// lines' points; 0, 0 for none.
func rangeOf(lines []scalingLine, m func(*Row) (float64, bool)) (lo, hi float64) {
	lo = math.Inf(1)
	for _, l := range lines {
		for _, pt := range l.pts {
			if v, ok := m(pt.row); ok && v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi == 0 {
		return 0, 0
	}
	return lo, hi
}

func stableUnique(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func indexOf(views []*runView, v *runView) int {
	for i, w := range views {
		if w == v {
			return i
		}
	}
	return 0
}
