package reports

import (
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

// This file draws the scaling chart: throughput, p99 latency and peak RSS
// against the swept parameter, one line per queue and run, a point per
// swept value at evenly spaced positions whatever the values are.

// A sweep is what the scaling chart draws: the runs that swept a
// parameter, its values in order, and a line per queue and run.
type sweep struct {
	views []*runView
	// key is the swept parameter, as the first run that swept names it.
	key string
	// values are every run's swept values, in the order first seen; the
	// value values[i] is drawn at x = i.
	values []string
	lines  []scalingLine
}

// A scalingLine is one queue of one run across the swept values.
type scalingLine struct {
	label string
	style QueueStyle
	// pts are in the order of their x.
	pts []scalingPoint
}

// A scalingPoint is a row at the position x of its sweep value.
type scalingPoint struct {
	x   float64
	row *Row
}

// A metric is the value a panel draws for a row; ok is false where the
// row has none, and the line has a gap there.
type metric func(r *Row) (v float64, ok bool)

func throughputOf(r *Row) (float64, bool) { return r.Throughput, r.Throughput > 0 }

func p99Of(r *Row) (float64, bool) { return r.P99, r.P99 > 0 }

// peakRSSOf is in MiB, for every queue that ran.
func peakRSSOf(r *Row) (float64, bool) {
	return r.PeakRSS / mib, r.PeakRSS > 0 && r.Worst != schema.Skipped
}

// scaling draws throughput, p99 latency and, where it moves, peak RSS
// against the swept parameter, one line per queue.
func (cs *chartSet) scaling() (*plotkit.Figure, error) {
	sw := cs.sweep()
	if sw == nil {
		return nil, nil
	}
	thr, fails, err := sw.throughputPanel()
	if err != nil {
		return nil, err
	}
	lat, err := sw.latencyPanel()
	if err != nil {
		return nil, err
	}
	f := &plotkit.Figure{Name: "scaling", Title: fmt.Sprintf("%s: scaling with %s", workloadNames(sw.views), sw.key), Panels: []*plotkit.Panel{thr, lat}}
	if sw.memoryMatters() {
		mem, err := sw.memoryPanel()
		if err != nil {
			return nil, err
		}
		f.Panels = append(f.Panels, mem)
	}
	f.Width = plotkit.WideWidth
	for _, sl := range sw.lines {
		f.Legend = append(f.Legend, legendEntry(sl.label, sl.style.series()))
	}
	if len(fails) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	f.Caption = sw.caption()
	return f, nil
}

// sweep gathers the runs that swept a parameter and their lines; nil when
// none did, or when they swept fewer than two values in all.
func (cs *chartSet) sweep() *sweep {
	sw := &sweep{}
	for _, v := range cs.views {
		if v.r.Sweep == nil {
			continue
		}
		sw.views = append(sw.views, v)
		if sw.key == "" {
			sw.key = v.r.Sweep.Key
		}
		for _, val := range v.r.Sweep.Values {
			if !slices.Contains(sw.values, val) {
				sw.values = append(sw.values, val)
			}
		}
	}
	if len(sw.views) == 0 || len(sw.values) < 2 {
		return nil
	}
	sw.lines = cs.scalingLines(sw.views, sw.values)
	return sw
}

// scalingLines returns a line for each queue of each of views that has a
// row, queues in the order they first appear and a queue's runs together,
// each styled and labelled as on the other charts.
func (cs *chartSet) scalingLines(views []*runView, values []string) []scalingLine {
	pos := map[string]float64{}
	for i, val := range values {
		pos[val] = float64(i)
	}
	var impls []string
	for _, v := range views {
		impls = append(impls, rowImpls(v.rows)...)
	}
	var lines []scalingLine
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
	return lines
}

// newPanel returns a panel titled title with the swept values along X.
func (sw *sweep) newPanel(title string) *plotkit.Panel {
	ticks := make(plot.ConstantTicks, len(sw.values))
	for i, val := range sw.values {
		ticks[i] = plot.Tick{Value: float64(i), Label: val}
	}
	p := plotkit.NewPanel()
	p.Title.Text = title
	p.X.Label.Text = sw.key
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = -0.25, float64(len(sw.values)-1)+0.25
	return p
}

// throughputPanel draws each queue's median throughput, on a log scale
// when the rates span ten times or more, and a cross on the axis' floor
// where a queue failed; it returns those crosses too.
func (sw *sweep) throughputPanel() (*plotkit.Panel, []plotkit.Note, error) {
	p := sw.newPanel("throughput (msg/s)")
	fails, err := sw.drawLines(p, throughputOf, 0)
	if err != nil {
		return nil, nil, err
	}
	lo, hi := sw.rangeOf(throughputOf)
	if hi > 0 && hi/lo >= 10 {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plotkit.LogTicks{Format: tickCount}
		p.LogAxisTitle("throughput (msg/s, log scale)")
		p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo/1.5))), math.Pow(10, math.Ceil(math.Log10(hi*1.1)))
	} else {
		p.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
		p.Y.Min, p.Y.Max = 0, math.Max(hi*1.15, 1)
	}
	for i := range fails {
		fails[i].Y = p.Y.Min
	}
	p.Add(&plotkit.Notes{Items: fails, Bold: true})
	return p, fails, nil
}

// latencyPanel draws each queue's p99 latency on a log scale from the
// power of ten below the least to the one above the greatest.
func (sw *sweep) latencyPanel() (*plotkit.Panel, error) {
	p := sw.newPanel("")
	p.LogAxisTitle("p99 latency (log scale)")
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
	if _, err := sw.drawLines(p, p99Of, 1); err != nil {
		return nil, err
	}
	if lo, hi := sw.rangeOf(p99Of); hi > 0 {
		p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*1.01)))
	} else {
		p.Y.Min, p.Y.Max = 1, 10
	}
	return p, nil
}

// memoryMatters reports whether peak RSS is part of the story: a queue
// was killed for memory somewhere, or the peaks spread by half again.
func (sw *sweep) memoryMatters() bool {
	killed := false
	for _, sl := range sw.lines {
		for _, pt := range sl.pts {
			killed = killed || pt.row.Worst == schema.OOM
		}
	}
	lo, hi := sw.rangeOf(peakRSSOf)
	return killed || hi > 1.5*lo && hi > 0
}

// memoryPanel draws each queue's peak RSS, unbroken, with a cross where
// it was killed for memory, and the memory budgets.
func (sw *sweep) memoryPanel() (*plotkit.Panel, error) {
	p := sw.newPanel("peak RSS (MiB)")
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	var kills []plotkit.Note
	for i, sl := range sw.lines {
		var xys plotter.XYs
		for _, pt := range sl.pts {
			if v, ok := peakRSSOf(pt.row); ok {
				xys = append(xys, plotter.XY{X: pt.x, Y: v})
				if pt.row.Worst == schema.OOM {
					kills = append(kills, plotkit.Note{X: pt.x, Y: v, Color: failColor, Glyph: killGlyph()})
				}
			}
		}
		if err := sl.style.series().Add(p, xys, i, len(sw.lines)); err != nil {
			return nil, err
		}
	}
	for _, b := range sw.budgets() {
		p.Add(&plotkit.Rule{Y: b / mib, Style: draw.LineStyle{Color: failColor, Width: vg.Points(1.2), Dashes: []vg.Length{7, 4}},
			Label: "budget " + units.Bytes(b), Color: failColor, Shade: budgetShade, LabelLeft: true})
	}
	p.Add(&plotkit.Notes{Items: kills})
	p.Y.Min = 0
	p.Y.Max *= 1.1
	return p, nil
}

// drawLines draws each line on p where m gives a value, no lower than
// floor, broken where it gives none, so that a gap reads as "no result";
// it returns a note for each point where the queue failed.
func (sw *sweep) drawLines(p *plotkit.Panel, m metric, floor float64) ([]plotkit.Note, error) {
	var fails []plotkit.Note
	for i, sl := range sw.lines {
		segs, failed := sl.segments(m, floor)
		for _, seg := range segs {
			if err := sl.style.series().Add(p, seg, i, len(sw.lines)); err != nil {
				return nil, err
			}
		}
		fails = append(fails, failed...)
	}
	return fails, nil
}

// segments splits the line into the runs of points where m gives a value,
// raised to floor, and notes each point where the queue failed (a skipped
// queue did not fail); the notes have no Y yet.
func (sl scalingLine) segments(m metric, floor float64) (segs []plotter.XYs, failed []plotkit.Note) {
	var seg plotter.XYs
	for _, pt := range sl.pts {
		if v, ok := m(pt.row); ok {
			seg = append(seg, plotter.XY{X: pt.x, Y: math.Max(v, floor)})
			continue
		}
		if len(seg) > 0 {
			segs, seg = append(segs, seg), nil
		}
		if w := pt.row.Worst; w != schema.OK && w != schema.Skipped {
			failed = append(failed, plotkit.Note{X: pt.x, Text: sl.label + ": " + string(w), Color: failColor, Glyph: killGlyph()})
		}
	}
	if len(seg) > 0 {
		segs = append(segs, seg)
	}
	return segs, failed
}

// rangeOf returns the least and greatest positive value m gives over the
// lines' points; 0, 0 for none.
func (sw *sweep) rangeOf(m metric) (lo, hi float64) {
	lo = math.Inf(1)
	for _, l := range sw.lines {
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

// budgets returns the distinct memory budgets of the swept runs' median
// trials, in bytes.
func (sw *sweep) budgets() []float64 {
	var out []float64
	for _, v := range sw.views {
		for i := range v.rows {
			out = addBudget(out, trialBudget(v.rows[i].MedianTrial(), v.r))
		}
	}
	return out
}

// caption says what a point is, over how many repetitions, and what a gap
// and a cross mean.
func (sw *sweep) caption() string {
	c := fmt.Sprintf("Each point is one queue at one value of %s", sw.key)
	var rows []*Row
	for _, v := range sw.views {
		rows = append(rows, rowPtrs(v.rows)...)
	}
	if over := repsOf(rows).over(); over != "" {
		c += ", the median of " + over
	}
	return c + ". A gap is a queue that was skipped or failed there; a red cross marks a trial that was killed."
}

// workloadNames names the workloads of views, each once: "a vs b".
func workloadNames(views []*runView) string {
	var names []string
	for _, v := range views {
		if !slices.Contains(names, v.r.Workload.Name) {
			names = append(names, v.r.Workload.Name)
		}
	}
	return strings.Join(names, " vs ")
}

// indexOf returns the index of v in views; 0 when it is not there.
func indexOf(views []*runView, v *runView) int {
	for i, w := range views {
		if w == v {
			return i
		}
	}
	return 0
}
