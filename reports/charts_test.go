package reports

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/schema"
)

var chartsOut = flag.String("charts", "", "also write the rendered charts into this `directory`, to look at them")

// svgCharts builds the charts of runs as Charts does, drawn as SVG alone:
// the drawing is the same for both formats, and rasterising the PNGs is
// what makes Charts slow. TestWriteAll checks the PNGs.
func svgCharts(t *testing.T, runs ...*schema.Results) []Chart {
	t.Helper()
	figs, err := figures(runs)
	if err != nil {
		t.Fatal(err)
	}
	var out []Chart
	for _, f := range figs {
		ch, err := render(f, "svg")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ch)
	}
	return out
}

// TestCharts draws the charts of each golden run: which charts there are,
// each with a title and a caption, each an SVG with text and paths in it.
// With -charts DIR it draws the PNGs too, and writes both there to look at.
func TestCharts(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []string
		want []string
	}{
		{"slow-consumer", []string{"slow-consumer"}, []string{"memory", "depth", "latency", "throughput"}},
		{"burst", []string{"burst"}, []string{"memory", "depth", "latency", "throughput", "retained"}},
		{"sweep", []string{"sweep"}, []string{"memory", "depth", "latency", "throughput", "scaling"}},
		{"merged", []string{"slow-consumer", "slow-consumer"}, []string{"memory", "depth", "latency", "throughput"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := loadRuns(t, tc.runs)
			charts := svgCharts(t, runs...)
			if *chartsOut != "" {
				var err error
				if charts, err = Charts(runs...); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, c := range charts {
				got = append(got, c.Name)
				checkSVG(t, c.Name, c.SVG)
				if c.Title == "" || c.Caption == "" {
					t.Errorf("%s: title %q, caption %q; want both", c.Name, c.Title, c.Caption)
				}
				if *chartsOut != "" {
					checkPNG(t, c.Name, c.PNG)
					dir := filepath.Join(*chartsOut, tc.name)
					os.MkdirAll(dir, 0o755)
					os.WriteFile(filepath.Join(dir, c.Name+".png"), c.PNG, 0o644)
					os.WriteFile(filepath.Join(dir, c.Name+".svg"), c.SVG, 0o644)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("charts %v, want %v", got, tc.want)
			}
		})
	}
}

// checkPNG checks data decodes as a PNG of the figure's size.
func checkPNG(t *testing.T, name string, data []byte) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s.png: %v", name, err)
		return
	}
	b := img.Bounds()
	if format != "png" || b.Dx() < 1000 || b.Dy() < 600 || b.Dx() > 2000 {
		t.Errorf("%s.png: %s %dx%d, want a PNG about 1152x691", name, format, b.Dx(), b.Dy())
	}
	if len(data) < 20<<10 {
		t.Errorf("%s.png: %d bytes; too small to hold a chart", name, len(data))
	}
}

// checkSVG checks data parses as XML with an svg root and holds text and
// paths.
func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root string
	counts := map[string]int{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s.svg: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			counts[se.Name.Local]++
		}
	}
	if root != "svg" || counts["text"] < 10 || counts["path"] < 10 {
		t.Errorf("%s.svg: root <%s>, %d texts, %d paths; want an <svg> chart", name, root, counts["text"], counts["path"])
	}
}

var _ = png.Decode // register the PNG decoder for image.Decode

// TestChartsSparse draws results with little in them: an interrupted run
// with no trials, queues that crashed before a sample, a single sample,
// an idle queue. Charts must say what they can and never fail.
func TestChartsSparse(t *testing.T) {
	base := func() *schema.Results {
		r := loadFixture(t, "burst")
		r.Trials = nil
		return r
	}
	crash := schema.Trial{Impl: "ring", Outcome: schema.Crash, Reason: "panic: ring: slot sequence out of order", Repetition: 1}
	one := schema.Trial{Impl: "chan", Outcome: schema.OK, Repetition: 1, Throughput: 5, Series: schema.Series{TMS: []float64{0}, RSS: []int64{8 << 20}, Heap: []int64{1}, Depth: []int64{0}, Sent: []int64{0}, Received: []int64{0}}}
	idle := schema.Trial{Impl: "mine", Outcome: schema.OK, Repetition: 1, Throughput: 5,
		Latency: &schema.Latency{P50: 100, P99: 100, Max: 100, Percentiles: []schema.Percentile{{P: 0, NS: 100}, {P: 100, NS: 100}}}}
	for i := 0; i < 50; i++ {
		idle.Series.Append(float64(i*10), 9<<20, 1<<20, 0, 0, 0)
	}
	for _, tc := range []struct {
		name   string
		trials []schema.Trial
		want   []string
	}{
		{"no trials", nil, nil},
		{"crash without samples", []schema.Trial{crash}, []string{"throughput"}},
		{"one sample", []schema.Trial{one, crash}, []string{"memory", "throughput"}},
		{"idle queue", []schema.Trial{idle}, []string{"memory", "latency", "throughput"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			r.Trials = tc.trials
			charts := svgCharts(t, r)
			var got []string
			for _, c := range charts {
				got = append(got, c.Name)
				checkSVG(t, c.Name, c.SVG)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("charts %v, want %v", got, tc.want)
			}
			var md bytes.Buffer
			if err := WriteMarkdown(&md, charts, r); err != nil {
				t.Fatal(err)
			}
			if tc.name == "crash without samples" && !strings.Contains(md.String(), "**ring** crashed: panic: ring: slot sequence out of order.") {
				t.Errorf("report.md does not report the crash:\n%s", &md)
			}
		})
	}
}

// Each queue's drain is marked on its own line at its own time, in its
// colour; no mark stands at a time no queue drained, and the idle band
// covers only the time when every queue was idle.
func TestDrainMarks(t *testing.T) {
	r := loadFixture(t, "burst")
	r.Trials = nil
	drains := map[string]float64{"chan": 2.0, "list": 2.3, "segment": 2.9}
	for _, impl := range []string{"chan", "list", "segment"} {
		tr := okTrial(impl, 1, 1e5)
		for ms := 0.0; ms <= 4000; ms += 100 {
			tr.Series.Append(ms, int64(10<<20+ms*1000), 1, 0, 0, 0)
		}
		d := drains[impl]
		tr.Phases = schema.Phases{ProducersDoneMS: 1000 * (d - 0.2), DrainedMS: 1000 * d, IdleDoneMS: 1000 * (d + 1)}
		r.Trials = append(r.Trials, tr)
	}
	cs := newChartSet(newRunViews([]*schema.Results{r}))
	ls := cs.withSeries()
	ph := phasesOf(ls)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(ph.stopLo, 1.8) || !near(ph.stopHi, 2.7) {
		t.Errorf("producers stopped from %gs to %gs, want 1.8s to 2.7s", ph.stopLo, ph.stopHi)
	}
	if !near(ph.idleFrom, 2.9) || !near(ph.idleTo, 3.0) {
		t.Errorf("every queue idle from %gs to %gs, want from the last drain, 2.9s, to the first idle end, 3s", ph.idleFrom, ph.idleTo)
	}
	behind, _, front := ph.marks(func(l *qline, sec float64) float64 { return sec * 10 })
	marks := front.(*plotkit.Notes).Items
	if len(marks) != len(drains) {
		t.Fatalf("%d drain marks, want %d", len(marks), len(drains))
	}
	for i, l := range ls {
		m := marks[i]
		if !near(m.X, drains[l.impl]) || !near(m.Y, drains[l.impl]*10) || m.Glyph.Color != l.style.Color {
			t.Errorf("%s: drain mark at (%g, %g) in %v, want at (%g, %g) in its colour %v",
				l.impl, m.X, m.Y, m.Glyph.Color, drains[l.impl], drains[l.impl]*10, l.style.Color)
		}
	}
	for _, s := range behind.(*plotkit.Spans).Spans {
		if near(s.X0, 2.3) || near(s.X1, 2.3) {
			t.Errorf("a band %q at the median drain, 2.3s", s.Label)
		}
	}
	f, err := cs.memory()
	if err != nil {
		t.Fatal(err)
	}
	if want := "(between 2s and 2.9s)"; !strings.Contains(f.Caption, want) {
		t.Errorf("memory caption %q lacks %q", f.Caption, want)
	}
}
