package plotkit

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Series is how one series of points is drawn: a line, with a marker at
// a few of its points, and the same in its legend entry.
type Series struct {
	Line draw.LineStyle
	// Glyph marks points along the line; a nil Shape marks none in the
	// legend.
	Glyph draw.GlyphStyle
}

var _ plot.Thumbnailer = Series{}

// markers is about how many points of a line carry a marker.
const markers = 7

// Add draws xys on p as a line, with markers at about seven evenly spaced
// points (at every point of a shorter line); nth of lines staggers them so
// that the markers of lines that run together do not pile up. Nothing is
// drawn for no points.
func (s Series) Add(p *Panel, xys plotter.XYs, nth, of int) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.LineStyle = s.Line
	p.Add(l)
	step := max(1, len(xys)/markers)
	var pts plotter.XYs
	start := (step * nth / max(1, of)) % step
	for i := start; i < len(xys); i += step {
		pts = append(pts, xys[i])
	}
	if len(xys) <= markers || len(pts) == 0 {
		pts = xys
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle = s.Glyph
	p.Add(sc)
	return nil
}

// Thumbnail draws the series' line across c with its marker in the middle;
// it implements plot.Thumbnailer.
func (s Series) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(s.Line, c.Min.X, y, c.Max.X, y)
	if s.Glyph.Shape != nil {
		c.DrawGlyph(s.Glyph, c.Center())
	}
}

// BoxThumb is a legend entry's picture of a bar: a box filled with Fill
// (nil for none) and outlined.
type BoxThumb struct {
	Fill    color.Color
	Outline draw.LineStyle
}

var _ plot.Thumbnailer = BoxThumb{}

// Thumbnail implements plot.Thumbnailer.
func (t BoxThumb) Thumbnail(c *draw.Canvas) {
	r := vg.Rectangle{
		Min: vg.Point{X: c.Min.X + 6, Y: c.Min.Y + 1},
		Max: vg.Point{X: c.Max.X - 6, Y: c.Max.Y - 1},
	}
	pts := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min}
	if t.Fill != nil {
		c.FillPolygon(t.Fill, pts[:4])
	}
	c.StrokeLines(t.Outline, pts)
}

// GlyphThumb is a legend entry's picture of a marker alone.
type GlyphThumb struct{ draw.GlyphStyle }

var _ plot.Thumbnailer = GlyphThumb{}

// Thumbnail implements plot.Thumbnailer.
func (t GlyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(t.GlyphStyle, c.Center()) }

// ErrorPoints are points with vertical error bars, as
// plotter.NewYErrorBars takes them.
type ErrorPoints struct {
	plotter.XYs
	plotter.YErrors
}
