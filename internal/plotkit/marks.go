package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Rule is a horizontal line across the data area at Y, with a label at
// one end and, optionally, the area above it shaded. The Y axis reaches
// the rule; a rule outside the axis range is not drawn.
type Rule struct {
	// Y is the rule's height in data units.
	Y     float64
	Style draw.LineStyle
	// Label is drawn bold in Color just above the line; "" for none.
	Label string
	Color color.Color
	// Shade fills the data area above the line; nil for none.
	Shade color.Color
	// LabelLeft puts the label at the left end instead of the right.
	LabelLeft bool
}

var (
	_ plot.Plotter    = (*Rule)(nil)
	_ plot.DataRanger = (*Rule)(nil)
)

// Plot implements plot.Plotter.
func (r *Rule) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(r.Y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	if r.Shade != nil {
		c.FillPolygon(r.Shade, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
	}
	c.StrokeLine2(r.Style, c.Min.X, y, c.Max.X, y)
	if r.Label != "" {
		sty := Text(9, true, r.Color)
		at := vg.Point{X: c.Min.X + 4, Y: y + 3}
		if !r.LabelLeft {
			sty.XAlign = draw.XRight
			at.X = c.Max.X - 4
		}
		c.FillText(sty, at, r.Label)
	}
}

// DataRange makes the axis reach the rule; it implements plot.DataRanger.
func (r *Rule) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), r.Y, r.Y
}

// A Span marks a moment (X0 == X1, or a band narrower than a line: a
// dotted line) or a stretch (a shaded band) on the X axis, labelled at the
// top.
type Span struct {
	// X0 and X1 bound the span in data units.
	X0, X1 float64
	Label  string
	// Shade fills the band; nil draws it in BandShade.
	Shade color.Color
}

// Spans draws its spans, or, with Labels set, their labels along the top,
// each moved a line down where it would overlap one drawn before: a plot
// adds the spans behind its data and their labels over everything, so
// that no line or shade hides a label.
type Spans struct {
	Spans  []*Span
	Labels bool
}

var _ plot.Plotter = (*Spans)(nil)

// spanLabel is a span's label at its left edge, in canvas units.
type spanLabel struct {
	x0   vg.Length
	text string
}

// Plot implements plot.Plotter.
func (ss *Spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	var labels []spanLabel
	for _, s := range ss.Spans {
		x0, x1 := trX(s.X0), trX(s.X1)
		if x0 < c.Min.X || x0 > c.Max.X {
			continue
		}
		x1 = min(x1, c.Max.X)
		if ss.Labels {
			if s.Label != "" {
				labels = append(labels, spanLabel{x0, s.Label})
			}
			continue
		}
		s.draw(c, x0, x1)
	}
	drawSpanLabels(c, labels)
}

// draw shades the span from x0 to x1 on c, or draws a dotted line at x0
// where the band would be narrower than a line.
func (s *Span) draw(c draw.Canvas, x0, x1 vg.Length) {
	if x1-x0 < 1.5 {
		c.StrokeLine2(draw.LineStyle{Color: NoteColor, Width: vg.Points(0.8), Dashes: []vg.Length{2, 3}}, x0, c.Min.Y, x0, c.Max.Y)
		return
	}
	shade := s.Shade
	if shade == nil {
		shade = BandShade
	}
	c.FillPolygon(shade, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// drawSpanLabels writes labels along the top of c, right of their span's
// left edge (left of it where the label would run off), each a line lower
// than one it would overlap.
func drawSpanLabels(c draw.Canvas, labels []spanLabel) {
	var placed []vg.Rectangle
	for _, l := range labels {
		sty := Text(8.5, false, NoteColor)
		sty.YAlign = draw.YTop
		w, h := sty.Width(l.text), sty.Height(l.text)
		at := vg.Point{X: l.x0 + 3, Y: c.Max.Y - 3}
		if at.X+w > c.Max.X {
			at.X = l.x0 - 3 - w
		}
		box := func() vg.Rectangle {
			return vg.Rectangle{Min: vg.Point{X: at.X - 1, Y: at.Y - h - 1}, Max: vg.Point{X: at.X + w + 1, Y: at.Y + 1}}
		}
		for tries := 0; tries < 10 && overlapsAny(box(), placed); tries++ {
			at.Y -= h + 2
		}
		placed = append(placed, box())
		c.FillText(sty, at, l.text)
	}
}

// A Note is a marker on a plot with a label beside or above it.
type Note struct {
	// X and Y place the marker in data units.
	X, Y float64
	// Text is the label; "" draws the glyph alone.
	Text  string
	Color color.Color
	// Glyph is drawn at the point when its Shape is set.
	Glyph draw.GlyphStyle
	// Above centres the label above the point instead of to its right.
	Above bool
}

// Notes draws labelled markers in order, moving a label that would
// overlap an earlier one out of its way and drawing a leader back to its
// point. The axes reach every noted point.
type Notes struct {
	Items []Note
	// Bold draws every label bold.
	Bold bool
}

var (
	_ plot.Plotter    = (*Notes)(nil)
	_ plot.DataRanger = (*Notes)(nil)
)

// Plot implements plot.Plotter.
func (n *Notes) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var placed []vg.Rectangle
	for _, it := range n.Items {
		pt := vg.Point{X: trX(it.X), Y: trY(it.Y)}
		if it.Glyph.Shape != nil {
			c.DrawGlyphNoClip(it.Glyph, pt)
		}
		if it.Text == "" {
			continue
		}
		placed = append(placed, it.label(c, pt, n.Bold, placed))
	}
}

// label writes the note's text by pt, the point in canvas units, clear of
// the labels placed before, and returns the box it took.
func (it Note) label(c draw.Canvas, pt vg.Point, bold bool, placed []vg.Rectangle) vg.Rectangle {
	sty := Text(9, bold, it.Color)
	w, h := sty.Width(it.Text), sty.Height(it.Text)
	var at vg.Point // lower left corner of the label
	if it.Above {
		at = vg.Point{X: pt.X - w/2, Y: pt.Y + 5}
	} else {
		at = vg.Point{X: pt.X + 9, Y: pt.Y - h/2}
		if at.X+w > c.Max.X {
			at.X = pt.X - 9 - w
		}
	}
	at.X = min(max(at.X, c.Min.X+1), c.Max.X-w-1)
	at.Y = min(max(at.Y, c.Min.Y+1), c.Max.Y-h-1)
	box := func() vg.Rectangle {
		return vg.Rectangle{Min: vg.Point{X: at.X - 2, Y: at.Y - 1}, Max: vg.Point{X: at.X + w + 2, Y: at.Y + h + 1}}
	}
	step := -(h + 3)
	if it.Above || at.Y+step < c.Min.Y {
		step = -step
	}
	for tries := 0; tries < 20 && overlapsAny(box(), placed); tries++ {
		at.Y += step
	}
	r := box()
	if math.Abs(float64(r.Min.Y+r.Max.Y)/2-float64(pt.Y)) > float64(h) && !it.Above {
		edge := r.Min.X
		if edge < pt.X {
			edge = r.Max.X
		}
		c.StrokeLine2(draw.LineStyle{Color: it.Color, Width: vg.Points(0.6)}, pt.X, pt.Y, edge, (r.Min.Y+r.Max.Y)/2)
	}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd8}, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	c.FillText(sty, at, it.Text)
	return r
}

// DataRange makes the axes reach every noted point; it implements
// plot.DataRanger.
func (n *Notes) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, it := range n.Items {
		xmin, xmax = math.Min(xmin, it.X), math.Max(xmax, it.X)
		ymin, ymax = math.Min(ymin, it.Y), math.Max(ymax, it.Y)
	}
	return xmin, xmax, ymin, ymax
}

// overlapsAny reports whether r overlaps any of rs.
func overlapsAny(r vg.Rectangle, rs []vg.Rectangle) bool {
	for _, o := range rs {
		if r.Min.X < o.Max.X && o.Min.X < r.Max.X && r.Min.Y < o.Max.Y && o.Min.Y < r.Max.Y {
			return true
		}
	}
	return false
}
