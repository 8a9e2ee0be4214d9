package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/internal/plotkit"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// TestChartModels holds what each chart of the golden runs will draw —
// its title, caption, legend, and per panel the axes and every line, bar,
// rule, band and note — in testdata/NAME.charts.golden, without drawing
// it. Run with -update to rewrite them after a deliberate change, and read
// the diff.
func TestChartModels(t *testing.T) {
	for _, tc := range goldenRuns {
		t.Run(tc.name, func(t *testing.T) {
			figs, err := figures(loadRuns(t, tc.runs))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, f := range figs {
				describeFigure(&got, f)
			}
			path := filepath.Join("testdata", tc.name+".charts.golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("the charts differ from %s (go test -update rewrites it):\\n%s", path, lineDiff(string(want), got.String()))
			}
		})
	}
}

// describeFigure writes what f will draw, one item a line.
func describeFigure(b *bytes.Buffer, f *plotkit.Figure) {
	fmt.Fprintf(b, "# %s: %s\n", f.Name, f.Title)
	fmt.Fprintf(b, "caption: %s\n", f.Caption)
	fmt.Fprintf(b, "width: %g pt\n", f.Width.Points())
	var legend []string
	for _, e := range f.Legend {
		legend = append(legend, e.Text)
	}
	fmt.Fprintf(b, "legend: %s\n", strings.Join(legend, " | "))
	fmt.Fprintf(b, "foot: %s\n", strings.Join(f.Foot, " | "))
	for i, p := range f.Panels {
		fmt.Fprintf(b, "panel %d: %q\n", i+1, p.Title.Text)
		describeAxis(b, "x", &p.X)
		describeAxis(b, "y", &p.Y)
		for _, pl := range p.Plotters() {
			if s := describePlotter(pl); s != "" {
				fmt.Fprintf(b, "  %s\n", s)
			}
		}
	}
	b.WriteString("\n")
}

func describeAxis(b *bytes.Buffer, name string, a *plot.Axis) {
	scale := "linear"
	if _, ok := a.Scale.(plot.LogScale); ok {
		scale = "log"
	}
	fmt.Fprintf(b, "  %s: %q %s [%.6g, %.6g]", name, a.Label.Text, scale, a.Min, a.Max)
	if ticks, ok := a.Tick.Marker.(plot.ConstantTicks); ok {
		var ls []string
		for _, tk := range ticks.Ticks(a.Min, a.Max) {
			ls = append(ls, fmt.Sprintf("%.6g=%s", tk.Value, strings.ReplaceAll(tk.Label, "\n", " ")))
		}
		fmt.Fprintf(b, " ticks %s", strings.Join(ls, ", "))
	}
	b.WriteString("\n")
}

// describePlotter is one line on pl; "" for the grid.
func describePlotter(pl plot.Plotter) string {
	switch v := pl.(type) {
	case *plotter.Grid:
		return ""
	case *plotter.Line:
		return fmt.Sprintf("line %v: %s", v.LineStyle.Color, xys(v.XYs))
	case *plotter.Scatter:
		return fmt.Sprintf("markers %v: %s", v.GlyphStyle.Color, xys(v.XYs))
	case *plotter.BarChart:
		return fmt.Sprintf("bar %v at %g%+g: %.6g", v.Color, v.XMin, v.Offset.Points(), v.Values)
	case *plotter.YErrorBars:
		var s []string
		for i, pt := range v.XYs {
			s = append(s, fmt.Sprintf("(%g, %.6g -%.6g +%.6g)", pt.X, pt.Y, v.YErrors[i].Low, v.YErrors[i].High))
		}
		return "error bars: " + strings.Join(s, " ")
	case *plotkit.Rule:
		return fmt.Sprintf("rule at %.6g: %q", v.Y, v.Label)
	case *plotkit.Spans:
		var s []string
		for _, sp := range v.Spans {
			s = append(s, fmt.Sprintf("%q %.6g–%.6g", sp.Label, sp.X0, sp.X1))
		}
		kind := "bands"
		if v.Labels {
			kind = "band labels"
		}
		return kind + ": " + strings.Join(s, ", ")
	case *plotkit.Notes:
		var s []string
		for _, n := range v.Items {
			s = append(s, fmt.Sprintf("(%.6g, %.6g) %q", n.X, n.Y, strings.ReplaceAll(n.Text, "\n", " / ")))
		}
		return "notes: " + strings.Join(s, ", ")
	}
	return fmt.Sprintf("%T", pl)
}

// xys spells a few points in full, and of more the count, the ends and
// the range of Y.
func xys(pts plotter.XYs) string {
	if len(pts) <= 8 {
		var s []string
		for _, p := range pts {
			s = append(s, fmt.Sprintf("(%.6g, %.6g)", p.X, p.Y))
		}
		return strings.Join(s, " ")
	}
	_, _, lo, hi := plotter.XYRange(pts)
	first, last := pts[0], pts[len(pts)-1]
	return fmt.Sprintf("%d points (%.6g, %.6g) … (%.6g, %.6g), y %.6g to %.6g", len(pts), first.X, first.Y, last.X, last.Y, lo, hi)
}
