package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// This file lays charts out and draws what gonum/plot lacks: the figure
// around the plots (title, caption, legend beside the data, footer), lines
// across the data area, labelled markers that stay clear of each other,
// and tick labels for humans.

// Figure sizes. The PNG is 1152 pixels wide: sharp in a pull request and
// readable on a laptop without zooming.
const (
	figWidth     = 9 * vg.Inch
	figWideWidth = 13 * vg.Inch
	figHeight    = 5.4 * vg.Inch
	figDPI       = 128
)

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns a sans-serif text style of size points.
func textStyle(size float64, bold bool, c color.Color) text.Style {
	f := sansFont
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return text.Style{
		Color:   c,
		Font:    font.From(f, vg.Points(size)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// A figure is one chart: a title, a caption stating what it shows, one or
// more plots side by side, a legend to their right and a footer naming
// where the numbers came from.
type figure struct {
	name, title, caption string
	panels               []*plot.Plot
	legend               []legendEntry
	foot                 []string
	width                vg.Length
}

type legendEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// newPlot returns a plot with the house style: sans-serif text, a light
// grid, no title (the figure has one).
func newPlot() *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, vg.Points(11))
		a.Tick.Label.Font = font.From(sansFont, vg.Points(9.5))
		a.Tick.Label.Color = color.Black
		a.Padding = vg.Points(2)
	}
	p.Title.TextStyle.Font = font.From(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold}, vg.Points(11))
	p.Title.Padding = vg.Points(6)
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.6)}
	g.Horizontal = g.Vertical
	p.Add(g)
	return p
}

// render draws f as "png" or "svg".
func (f *figure) render(format string) ([]byte, error) {
	w := f.width
	if w == 0 {
		w = figWidth
	}
	var cw vg.CanvasWriterTo
	switch format {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, figHeight), vgimg.UseDPI(figDPI))}
	case "svg":
		cw = vgsvg.New(w, figHeight)
	default:
		return nil, fmt.Errorf("render %s: unknown format %q", f.name, format)
	}
	if err := f.draw(draw.New(cw)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("render %s.%s: %w", f.name, format, err)
	}
	if format == "svg" {
		return portableSVG(buf.Bytes()), nil
	}
	return buf.Bytes(), nil
}

// portableSVG names fallback fonts after gonum's Liberation Sans, which
// few browsers have; Arial has the same metrics, so text keeps its width.
func portableSVG(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// draw lays the figure out on c. gonum/plot panics on impossible axes (a
// log scale over zero); draw turns that into an error naming the chart.
func (f *figure) draw(c draw.Canvas) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("draw the %s chart: %v", f.name, e)
		}
	}()
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	const margin = vg.Length(12)
	area := draw.Crop(c, margin, -margin, margin/2, -margin)

	// Header: the title, then the caption wrapped to the width.
	titleSty := textStyle(15, true, color.Black)
	titleSty.YAlign = draw.YTop
	area.FillText(titleSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, f.title)
	area.Max.Y -= titleSty.Height(f.title) + 5
	if f.caption != "" {
		capSty := textStyle(10.5, false, noteColor)
		capSty.YAlign = draw.YTop
		for _, line := range wrapText(capSty, f.caption, area.Max.X-area.Min.X) {
			area.FillText(capSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, line)
			area.Max.Y -= capSty.Height(line) + 2
		}
	}
	area.Max.Y -= 8

	// Footer, bottom up.
	footSty := textStyle(8, false, noteColor)
	for i := len(f.foot) - 1; i >= 0; i-- {
		area.FillText(footSty, vg.Point{X: area.Min.X, Y: area.Min.Y}, f.foot[i])
		area.Min.Y += footSty.Height(f.foot[i]) + 2
	}
	area.Min.Y += 6

	// Legend to the right of the data, so it never hides a line.
	if len(f.legend) > 0 {
		l := plot.NewLegend()
		l.TextStyle = textStyle(10, false, color.Black)
		l.Top, l.Left = true, true
		l.ThumbnailWidth = vg.Points(30)
		l.Padding = vg.Points(4)
		for _, e := range f.legend {
			l.Add(e.text, e.thumbs...)
		}
		lw := l.Rectangle(area).Size().X + 8
		la := area
		la.Min.X = area.Max.X - lw
		la.Max.Y -= 4
		l.Draw(la)
		area.Max.X -= lw + 10
	}

	tiles := draw.Tiles{Cols: len(f.panels), Rows: 1, PadX: vg.Points(24)}
	for i, p := range f.panels {
		p.Draw(tiles.At(area, i, 0))
	}
	return nil
}

// wrapText breaks s into lines no wider than width.
func wrapText(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	line := ""
	// Keep a number with its unit: "13.4 MiB", "0.9 s".
	var words []string
	for _, w := range strings.Fields(s) {
		if n := len(words); n > 0 && isDigit(words[n-1][len(words[n-1])-1]) && !isDigit(w[0]) && w[0] != '(' && len(w) <= 5 {
			words[n-1] += " " + w
			continue
		}
		words = append(words, w)
	}
	for _, w := range words {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && sty.Width(try) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// lineThumb is a legend entry's picture of a queue's line and marker.
type lineThumb struct {
	style QueueStyle
	// noGlyph leaves the marker out.
	noGlyph bool
}

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(lineStyle(t.style), c.Min.X, y, c.Max.X, y)
	if !t.noGlyph {
		c.DrawGlyph(glyphStyle(t.style), c.Center())
	}
}

// boxThumb is a legend entry's picture of a bar.
type boxThumb struct {
	fill    color.Color
	outline draw.LineStyle
}

// Thumbnail implements plot.Thumbnailer.
func (t boxThumb) Thumbnail(c *draw.Canvas) {
	r := vg.Rectangle{
		Min: vg.Point{X: c.Min.X + 6, Y: c.Min.Y + 1},
		Max: vg.Point{X: c.Max.X - 6, Y: c.Max.Y - 1},
	}
	pts := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min}
	if t.fill != nil {
		c.FillPolygon(t.fill, pts[:4])
	}
	c.StrokeLines(t.outline, pts)
}

// glyphThumb is a legend entry's picture of a marker alone.
type glyphThumb struct{ draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (t glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(t.GlyphStyle, c.Center()) }

func lineStyle(s QueueStyle) draw.LineStyle {
	return draw.LineStyle{Color: s.Color, Width: vg.Points(1.8), Dashes: s.Dashes}
}

func glyphStyle(s QueueStyle) draw.GlyphStyle {
	return draw.GlyphStyle{Color: s.Color, Radius: vg.Points(3.6), Shape: s.Glyph}
}

// killGlyph is the mark where a trial was killed: a red cross.
func killGlyph() draw.GlyphStyle {
	return draw.GlyphStyle{Color: failColor, Radius: vg.Points(5), Shape: plotkit.HaloCross{}}
}

// addLine draws xys in the queue's style, with markers at a few evenly
// spaced points; nth staggers them between lines so they do not pile up.
func addLine(p *plot.Plot, xys plotter.XYs, s QueueStyle, nth, of int) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.LineStyle = lineStyle(s)
	p.Add(l)
	const markers = 7
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
	sc.GlyphStyle = glyphStyle(s)
	p.Add(sc)
	return nil
}

// rule is a horizontal line across the data area at Y, with a label at its
// right end and, optionally, the area above it shaded.
type rule struct {
	y     float64
	style draw.LineStyle
	label string
	color color.Color
	// shade fills the data area above the line; nil for none.
	shade color.Color
	// labelLeft puts the label at the left end instead of the right.
	labelLeft bool
}

// Plot implements plot.Plotter.
func (r *rule) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(r.y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	if r.shade != nil {
		c.FillPolygon(r.shade, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
	}
	c.StrokeLine2(r.style, c.Min.X, y, c.Max.X, y)
	if r.label != "" {
		sty := textStyle(9, true, r.color)
		at := vg.Point{X: c.Min.X + 4, Y: y + 3}
		if !r.labelLeft {
			sty.XAlign = draw.XRight
			at.X = c.Max.X - 4
		}
		c.FillText(sty, at, r.label)
	}
}

// DataRange makes the axis reach the rule; it implements plot.DataRanger.
func (r *rule) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), r.y, r.y
}

// span marks a moment (x0 == x1: a dotted line) or a phase (a band,
// shaded idleShade unless shade is set) on the time axis, labelled at the
// top.
type span struct {
	x0, x1 float64
	label  string
	shade  color.Color
}

// spanSet draws spans, or, with labels set, their labels along the top,
// each moved a line down where it would overlap one drawn before: a chart
// adds the spans behind its data and their labels over everything, so that
// no line or shade hides a label.
type spanSet struct {
	spans  []*span
	labels bool
}

// Plot implements plot.Plotter.
func (ss *spanSet) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	type label struct {
		x0   vg.Length
		text string
	}
	var labels []label
	for _, s := range ss.spans {
		x0, x1 := trX(s.x0), trX(s.x1)
		if x0 < c.Min.X || x0 > c.Max.X {
			continue
		}
		x1 = min(x1, c.Max.X)
		if ss.labels {
			if s.label != "" {
				labels = append(labels, label{x0, s.label})
			}
			continue
		}
		// A band narrower than a line reads as a moment.
		if x1-x0 >= 1.5 {
			shade := s.shade
			if shade == nil {
				shade = idleShade
			}
			c.FillPolygon(shade, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
		} else {
			c.StrokeLine2(draw.LineStyle{Color: noteColor, Width: vg.Points(0.8), Dashes: []vg.Length{2, 3}}, x0, c.Min.Y, x0, c.Max.Y)
		}
	}
	var placed []vg.Rectangle
	for _, l := range labels {
		sty := textStyle(8.5, false, noteColor)
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

// drainGlyph is the mark where a queue had drained: a short upright bar
// across its line, in the queue's colour.
func drainGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(7), Shape: plotkit.HaloBar{}}
}

// A note is a marker on a chart with a label beside or above it.
type note struct {
	x, y  float64
	text  string
	color color.Color
	// glyph is drawn at the point when its Shape is set.
	glyph draw.GlyphStyle
	// above centres the label above the point instead of to its right.
	above bool
}

// notes draws labelled markers, moving labels that would overlap an
// earlier one out of its way and drawing a leader back to the point.
type notes struct {
	items []note
	bold  bool
}

// Plot implements plot.Plotter.
func (n *notes) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var placed []vg.Rectangle
	for _, it := range n.items {
		pt := vg.Point{X: trX(it.x), Y: trY(it.y)}
		if it.glyph.Shape != nil {
			c.DrawGlyphNoClip(it.glyph, pt)
		}
		if it.text == "" {
			continue
		}
		sty := textStyle(9, n.bold, it.color)
		w, h := sty.Width(it.text), sty.Height(it.text)
		var at vg.Point // lower left corner of the label
		if it.above {
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
		if it.above || at.Y+step < c.Min.Y {
			step = -step
		}
		for tries := 0; tries < 20 && overlapsAny(box(), placed); tries++ {
			at.Y += step
		}
		r := box()
		placed = append(placed, r)
		if math.Abs(float64(r.Min.Y+r.Max.Y)/2-float64(pt.Y)) > float64(h) && !it.above {
			edge := r.Min.X
			if edge < pt.X {
				edge = r.Max.X
			}
			c.StrokeLine2(draw.LineStyle{Color: it.color, Width: vg.Points(0.6)}, pt.X, pt.Y, edge, (r.Min.Y+r.Max.Y)/2)
		}
		c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xd8}, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
		c.FillText(sty, at, it.text)
	}
}

// DataRange makes the axes reach every noted point; it implements
// plot.DataRanger.
func (n *notes) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, it := range n.items {
		xmin, xmax = math.Min(xmin, it.x), math.Max(xmax, it.x)
		ymin, ymax = math.Min(ymin, it.y), math.Max(ymax, it.y)
	}
	return xmin, xmax, ymin, ymax
}

func overlapsAny(r vg.Rectangle, rs []vg.Rectangle) bool {
	for _, o := range rs {
		if r.Min.X < o.Max.X && o.Min.X < r.Max.X && r.Min.Y < o.Max.Y && o.Min.Y < r.Max.Y {
			return true
		}
	}
	return false
}
