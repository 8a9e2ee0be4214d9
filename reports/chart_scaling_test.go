package reports

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// scalingFigure builds the scaling chart of the sweep fixture with its
// trials kept where keep says so and changed by edit.
func scalingFigure(t *testing.T, keep func(*schema.Trial) bool, edit func(*schema.Trial)) *plotkit.Figure {
	t.Helper()
	r := loadFixture(t, "sweep")
	var trials []schema.Trial
	for _, tr := range r.Trials {
		if keep(&tr) {
			edit(&tr)
			trials = append(trials, tr)
		}
	}
	r.Trials = trials
	f, err := newChartSet(newRunViews([]*schema.Results{r})).scaling()
	if err != nil {
		t.Fatal(err)
	}
	if f == nil {
		t.Fatal("no scaling chart")
	}
	return f
}

// linesOf returns the X values of each line drawn in colour c on p.
func linesOf(p *plotkit.Panel, impl string) [][]float64 {
	c := fmt.Sprint(StyleOf(impl).Color)
	var out [][]float64
	for _, pl := range p.Plotters() {
		if l, ok := pl.(*plotter.Line); ok && fmt.Sprint(l.LineStyle.Color) == c {
			var xs []float64
			for _, pt := range l.XYs {
				xs = append(xs, pt.X)
			}
			out = append(out, xs)
		}
	}
	return out
}

// notesOf returns the notes drawn on p.
func notesOf(p *plotkit.Panel) []plotkit.Note {
	var out []plotkit.Note
	for _, pl := range p.Plotters() {
		if n, ok := pl.(*plotkit.Notes); ok {
			out = append(out, n.Items...)
		}
	}
	return out
}

// A queue that failed at one swept value is drawn with a gap there, and a
// cross on the throughput panel's floor says how it failed.
func TestScalingGap(t *testing.T) {
	f := scalingFigure(t, func(*schema.Trial) bool { return true }, func(tr *schema.Trial) {
		if tr.Impl == "ring" && tr.SweepValue == "4" {
			tr.Outcome, tr.Reason, tr.Throughput, tr.Latency = schema.Crash, "panic", 0, nil
		}
	})
	thr, lat := f.Panels[0], f.Panels[1]
	for _, p := range []*plotkit.Panel{thr, lat} {
		if got := linesOf(p, "ring"); len(got) != 2 || !slices.Equal(got[0], []float64{0, 1}) || !slices.Equal(got[1], []float64{3}) {
			t.Errorf("%s: ring drawn at %v, want at 1 and 2 producers, then at 8", p.Title.Text, got)
		}
	}
	var crosses []string
	for _, n := range notesOf(thr) {
		crosses = append(crosses, fmt.Sprintf("%s at %g", n.Text, n.X))
		if n.Y != thr.Y.Min || n.Glyph.Shape == nil {
			t.Errorf("note %q at y=%g, want a cross on the axis' floor, %g", n.Text, n.Y, thr.Y.Min)
		}
	}
	if want := []string{"list: oom at 3", "ring: crash at 2"}; !slices.Equal(crosses, want) {
		t.Errorf("throughput notes %q, want %q", crosses, want)
	}
	if len(notesOf(lat)) != 0 {
		t.Errorf("the latency panel notes %v; only the throughput panel marks failures", notesOf(lat))
	}
}

// The throughput axis turns logarithmic when the queues' rates span ten
// times or more; latency is always on a log scale; peak RSS has a panel
// only when memory is part of the story, a kill or a spread, and draws the
// memory budget.
func TestScalingAxes(t *testing.T) {
	all := func(*schema.Trial) bool { return true }
	chanRing := func(tr *schema.Trial) bool { return tr.Impl == "chan" || tr.Impl == "ring" }
	same := func(*schema.Trial) {}
	for _, tc := range []struct {
		name   string
		keep   func(*schema.Trial) bool
		edit   func(*schema.Trial)
		logThr bool
		panels []string
	}{
		{"every queue: rates span decades, list killed", all, same, true,
			[]string{"throughput (msg/s, log scale)", "p99 latency (log scale)", "peak RSS (MiB)"}},
		{"chan and ring: within ten times, flat memory", chanRing, same, false,
			[]string{"throughput (msg/s)", "p99 latency (log scale)"}},
		{"chan and ring, ring's memory spread", chanRing, func(tr *schema.Trial) {
			if tr.Impl == "ring" && tr.SweepValue == "8" {
				tr.PeakRSSBytes *= 3
			}
		}, false, []string{"throughput (msg/s)", "p99 latency (log scale)", "peak RSS (MiB)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := scalingFigure(t, tc.keep, tc.edit)
			var titles []string
			for _, p := range f.Panels {
				titles = append(titles, p.Title.Text)
				if p.X.Label.Text != "producers" || p.X.Min != -0.25 || p.X.Max != 3.25 {
					t.Errorf("%s: x axis %q [%g, %g], want producers over four values", p.Title.Text, p.X.Label.Text, p.X.Min, p.X.Max)
				}
			}
			if !slices.Equal(titles, tc.panels) {
				t.Errorf("panels %q, want %q", titles, tc.panels)
			}
			thr, lat := f.Panels[0], f.Panels[1]
			if _, log := thr.Y.Scale.(plot.LogScale); log != tc.logThr {
				t.Errorf("throughput on a log scale %v, want %v", log, tc.logThr)
			}
			if !tc.logThr && thr.Y.Min != 0 {
				t.Errorf("linear throughput axis from %g, want from 0", thr.Y.Min)
			}
			for _, v := range []float64{lat.Y.Min, lat.Y.Max} {
				if e := math.Log10(v); e != math.Round(e) {
					t.Errorf("latency axis [%g, %g], want powers of ten", lat.Y.Min, lat.Y.Max)
				}
			}
			if len(f.Panels) == 3 {
				var rule bool
				for _, pl := range f.Panels[2].Plotters() {
					_, ok := pl.(*plotkit.Rule)
					rule = rule || ok
				}
				if !rule {
					t.Errorf("the peak RSS panel lacks the memory budget")
				}
			}
		})
	}
}

// A line breaks where its metric has no value; a failure there is noted,
// a skip is not.
func TestScalingSegments(t *testing.T) {
	row := func(thr float64, worst schema.Outcome) *Row { return &Row{Throughput: thr, Worst: worst} }
	for _, tc := range []struct {
		name   string
		rows   []*Row
		segs   string
		failed []string
	}{
		{"unbroken", []*Row{row(5, schema.OK), row(6, schema.OK)}, "[[{0 5} {1 6}]]", nil},
		{"a crash in the middle", []*Row{row(5, schema.OK), row(0, schema.Crash), row(7, schema.OK)}, "[[{0 5}] [{2 7}]]", []string{"q: crash at 1"}},
		{"skipped at the end", []*Row{row(5, schema.OK), row(0, schema.Skipped)}, "[[{0 5}]]", nil},
		{"killed at the start", []*Row{row(0, schema.OOM), row(6, schema.OK)}, "[[{1 6}]]", []string{"q: oom at 0"}},
		{"raised to the floor", []*Row{row(0.5, schema.OK)}, "[[{0 2}]]", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sl := scalingLine{label: "q"}
			for i, r := range tc.rows {
				sl.pts = append(sl.pts, scalingPoint{float64(i), r})
			}
			segs, failed := sl.segments(throughputOf, 2)
			if got := fmt.Sprint(segs); got != tc.segs {
				t.Errorf("segments %s, want %s", got, tc.segs)
			}
			var notes []string
			for _, n := range failed {
				notes = append(notes, fmt.Sprintf("%s at %g", n.Text, n.X))
			}
			if !slices.Equal(notes, tc.failed) {
				t.Errorf("failures %q, want %q", notes, tc.failed)
			}
		})
	}
}
