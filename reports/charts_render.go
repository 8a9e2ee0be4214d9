package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"gonum.org/v1/plot"
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
	titleSty := plotkit.Text(15, true, color.Black)
	titleSty.YAlign = draw.YTop
	area.FillText(titleSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, f.title)
	area.Max.Y -= titleSty.Height(f.title) + 5
	if f.caption != "" {
		capSty := plotkit.Text(10.5, false, plotkit.NoteColor)
		capSty.YAlign = draw.YTop
		for _, line := range wrapText(capSty, f.caption, area.Max.X-area.Min.X) {
			area.FillText(capSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, line)
			area.Max.Y -= capSty.Height(line) + 2
		}
	}
	area.Max.Y -= 8

	// Footer, bottom up.
	footSty := plotkit.Text(8, false, plotkit.NoteColor)
	for i := len(f.foot) - 1; i >= 0; i-- {
		area.FillText(footSty, vg.Point{X: area.Min.X, Y: area.Min.Y}, f.foot[i])
		area.Min.Y += footSty.Height(f.foot[i]) + 2
	}
	area.Min.Y += 6

	// Legend to the right of the data, so it never hides a line.
	if len(f.legend) > 0 {
		l := plot.NewLegend()
		l.TextStyle = plotkit.Text(10, false, color.Black)
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

// drainGlyph is the mark where a queue had drained: a short upright bar
// across its line, in the queue's colour.
func drainGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(7), Shape: plotkit.HaloBar{}}
}
