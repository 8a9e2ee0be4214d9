package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Marker is a glyph drawn along a line: a filled or hollow shape. Hollow
// markers are stroked thick enough to see and filled white, so they stay
// legible where they sit on a line. Cross and Plus are strokes, never
// filled.
type Marker struct {
	Shape  Shape
	Hollow bool
}

var _ draw.GlyphDrawer = Marker{}

// A Shape is the outline of a Marker.
type Shape int

// The shapes of a Marker.
const (
	Circle Shape = iota
	Square
	Triangle
	Diamond
	Cross
	Plus
)

// Counterpart returns the marker paired with m, to draw the same series a
// second time: a hollow shape for a filled one and the other way round, a
// plus for a cross and a cross for a plus.
func (m Marker) Counterpart() Marker {
	switch m.Shape {
	case Cross:
		m.Shape = Plus
	case Plus:
		m.Shape = Cross
	default:
		m.Hollow = !m.Hollow
	}
	return m
}

// DrawGlyph draws the marker centred on pt, sty.Radius in size; it
// implements draw.GlyphDrawer.
func (m Marker) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	if m.Shape == Cross || m.Shape == Plus {
		m.stroke(c, sty, pt)
		return
	}
	p := m.path(sty.Radius, pt)
	if m.Hollow {
		c.SetColor(color.White)
		c.Fill(p)
		c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: 1.3})
		c.SetLineDash(nil, 0)
		c.Stroke(p)
		return
	}
	c.SetColor(sty.Color)
	c.Fill(p)
}

// path outlines a circle, square, triangle or diamond of radius r at pt.
func (m Marker) path(r vg.Length, pt vg.Point) vg.Path {
	var p vg.Path
	switch m.Shape {
	case Circle:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
		p.Close()
	case Square:
		s := r * 0.85
		p.Move(vg.Point{X: pt.X - s, Y: pt.Y - s})
		p.Line(vg.Point{X: pt.X + s, Y: pt.Y - s})
		p.Line(vg.Point{X: pt.X + s, Y: pt.Y + s})
		p.Line(vg.Point{X: pt.X - s, Y: pt.Y + s})
		p.Close()
	case Triangle:
		p.Move(vg.Point{X: pt.X, Y: pt.Y + r*1.15})
		p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r*0.75})
		p.Line(vg.Point{X: pt.X - r, Y: pt.Y - r*0.75})
		p.Close()
	case Diamond:
		p.Move(vg.Point{X: pt.X, Y: pt.Y + r*1.2})
		p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Line(vg.Point{X: pt.X, Y: pt.Y - r*1.2})
		p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
		p.Close()
	}
	return p
}

// stroke draws a Cross or a Plus.
func (m Marker) stroke(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	ls := draw.LineStyle{Color: sty.Color, Width: 1.6}
	if m.Shape == Cross {
		d := sty.Radius * 0.85
		c.StrokeLine2(ls, pt.X-d, pt.Y-d, pt.X+d, pt.Y+d)
		c.StrokeLine2(ls, pt.X-d, pt.Y+d, pt.X+d, pt.Y-d)
		return
	}
	d := sty.Radius
	c.StrokeLine2(ls, pt.X-d, pt.Y, pt.X+d, pt.Y)
	c.StrokeLine2(ls, pt.X, pt.Y-d, pt.X, pt.Y+d)
}

// HaloCross is a thick cross with a white halo, so that it reads on top of
// any line: the mark of where something stopped.
type HaloCross struct{}

var _ draw.GlyphDrawer = HaloCross{}

// DrawGlyph implements draw.GlyphDrawer.
func (HaloCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	d := sty.Radius
	for _, ls := range []draw.LineStyle{{Color: color.White, Width: 5}, {Color: sty.Color, Width: 2.4}} {
		c.StrokeLine2(ls, pt.X-d, pt.Y-d, pt.X+d, pt.Y+d)
		c.StrokeLine2(ls, pt.X-d, pt.Y+d, pt.X+d, pt.Y-d)
	}
}

// HaloBar is a short upright bar with a white halo, drawn across a line
// to mark a moment on it.
type HaloBar struct{}

var _ draw.GlyphDrawer = HaloBar{}

// DrawGlyph implements draw.GlyphDrawer.
func (HaloBar) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	d := sty.Radius
	for _, ls := range []draw.LineStyle{{Color: color.White, Width: 5}, {Color: sty.Color, Width: 2.2}} {
		c.StrokeLine2(ls, pt.X, pt.Y-d, pt.X, pt.Y+d)
	}
}

// Lighten mixes c with white; f in [0,1] is the share of white. The
// result is opaque.
func Lighten(c color.Color, f float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(float64(v>>8)*(1-f) + 255*f) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xff}
}
