package plotkit

import (
	"bytes"
	"image"
	_ "image/png" // for image.Decode
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func TestWrap(t *testing.T) {
	sty := Text(10, false, NoteColor)
	for _, tc := range []struct {
		name  string
		text  string
		width vg.Length
		want  []string
	}{
		{"fits", "Messages waiting in each queue.", 500, []string{"Messages waiting in each queue."}},
		{"breaks between words", "one two three four", sty.Width("one two three"), []string{"one two three", "four"}},
		{"keeps a number with its unit", "list rose to 13.4 MiB here", sty.Width("list rose to 13.4"), []string{"list rose to", "13.4 MiB here"}},
		{"not a parenthesis", "at 0.9 (killed)", sty.Width("at 0.9"), []string{"at 0.9", "(killed)"}},
		{"a word wider than the line", "supercalifragilistic", 10, []string{"supercalifragilistic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wrap(sty, tc.text, tc.width); !slices.Equal(got, tc.want) {
				t.Errorf("wrap(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// A panel remembers what was added to it, and a series adds its line and
// then its markers, staggered by the line's place among the others.
func TestPanelSeries(t *testing.T) {
	p := NewPanel()
	var xys plotter.XYs
	for i := range 70 {
		xys = append(xys, plotter.XY{X: float64(i), Y: 1})
	}
	if err := (Series{}).Add(p, xys, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := (Series{}).Add(p, nil, 0, 2); err != nil {
		t.Fatal(err)
	}
	got := p.Plotters()
	if len(got) != 3 {
		t.Fatalf("%d plotters, want the grid, a line and its markers", len(got))
	}
	if _, ok := got[0].(*plotter.Grid); !ok {
		t.Errorf("first plotter %T, want the grid", got[0])
	}
	if l, ok := got[1].(*plotter.Line); !ok || len(l.XYs) != 70 {
		t.Errorf("second plotter %T, want the line of 70 points", got[1])
	}
	sc, ok := got[2].(*plotter.Scatter)
	if !ok {
		t.Fatalf("third plotter %T, want the markers", got[2])
	}
	if len(sc.XYs) != 7 || sc.XYs[0].X != 5 {
		t.Errorf("%d markers from x=%g, want 7 from x=5: the second of two lines marks between the first's", len(sc.XYs), sc.XYs[0].X)
	}
}

func TestRender(t *testing.T) {
	p := NewPanel()
	p.X.Label.Text = "seconds"
	if err := (Series{}).Add(p, plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 2}}, 0, 1); err != nil {
		t.Fatal(err)
	}
	f := &Figure{Name: "test", Title: "A title", Caption: "A caption.", Panels: []*Panel{p},
		Legend: []LegendEntry{{Text: "a line", Thumbs: []plot.Thumbnailer{Series{}}}}, Foot: []string{"a footer"}}
	svg, err := f.Render("svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "A title", "A caption.", "a line", "a footer", "font-family:'Liberation Sans',Arial"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	data, err := f.Render("png")
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1152 || b.Dy() != 691 {
		t.Errorf("PNG %dx%d, want 1152x691", b.Dx(), b.Dy())
	}
	if _, err := f.Render("gif"); err == nil || !strings.Contains(err.Error(), `unknown format "gif"`) {
		t.Errorf("Render(gif): %v, want an unknown format", err)
	}
}

// gonum/plot panics on a log scale over zero; Render says so in an error
// naming the figure.
func TestRenderImpossibleAxis(t *testing.T) {
	p := NewPanel()
	p.Y.Scale = plot.LogScale{}
	p.Y.Min, p.Y.Max = 0, 10
	f := &Figure{Name: "broken", Panels: []*Panel{p}}
	if _, err := f.Render("svg"); err == nil || !strings.Contains(err.Error(), "draw the broken chart") {
		t.Errorf("Render: %v, want an error naming the broken chart", err)
	}
}
