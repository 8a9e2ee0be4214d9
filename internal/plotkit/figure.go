package plotkit

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure sizes. A figure of Width is 1152 pixels wide as a PNG: sharp in a
// pull request and readable on a laptop without zooming.
const (
	// Width is a figure's width unless it sets its own.
	Width = 9 * vg.Inch
	// WideWidth suits a figure of two or three panels.
	WideWidth = 13 * vg.Inch
	// Height is every figure's height.
	Height = 5.4 * vg.Inch
	// DPI is the PNG's resolution in pixels per inch.
	DPI = 128
)

// A Figure is a page of one or more panels side by side under a title and
// a caption, with a legend to their right, where it never hides a line,
// and a footer below. Nothing is drawn until Render.
type Figure struct {
	// Name names the figure in errors.
	Name string
	// Title heads the page in bold.
	Title string
	// Caption is wrapped to the page's width below the title, a number
	// kept on one line with its unit ("13.4 MiB"); "" for none.
	Caption string
	// Panels are drawn left to right, sharing the width equally.
	Panels []*Panel
	// Legend lists its entries top down; empty for none.
	Legend []LegendEntry
	// Foot holds the footer's lines, top first.
	Foot []string
	// Width is the page's width; 0 means Width.
	Width vg.Length
}

// A LegendEntry is a line of a Figure's legend: a label and the pictures
// drawn beside it, one over the other.
type LegendEntry struct {
	Text   string
	Thumbs []plot.Thumbnailer
}

// Render draws f as "png" or "svg". The SVG names fonts that stand in for
// Liberation Sans where a browser lacks it.
func (f *Figure) Render(format string) ([]byte, error) {
	w := f.Width
	if w == 0 {
		w = Width
	}
	var cw vg.CanvasWriterTo
	switch format {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, Height), vgimg.UseDPI(DPI))}
	case "svg":
		cw = vgsvg.New(w, Height)
	default:
		return nil, fmt.Errorf("render %s: unknown format %q", f.Name, format)
	}
	if err := f.draw(draw.New(cw)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("render %s.%s: %w", f.Name, format, err)
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
// log scale over zero); draw turns that into an error naming the figure.
func (f *Figure) draw(c draw.Canvas) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("draw the %s chart: %v", f.Name, e)
		}
	}()
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	const margin = vg.Length(12)
	area := draw.Crop(c, margin, -margin, margin/2, -margin)
	f.drawHeader(&area)
	f.drawFoot(&area)
	f.drawLegend(&area)
	tiles := draw.Tiles{Cols: len(f.Panels), Rows: 1, PadX: vg.Points(24)}
	for i, p := range f.Panels {
		p.Draw(tiles.At(area, i, 0))
	}
	return nil
}

// drawHeader writes the title, then the caption wrapped to the width, at
// the top of area, and takes them off it.
func (f *Figure) drawHeader(area *draw.Canvas) {
	titleSty := Text(15, true, color.Black)
	titleSty.YAlign = draw.YTop
	area.FillText(titleSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, f.Title)
	area.Max.Y -= titleSty.Height(f.Title) + 5
	if f.Caption != "" {
		capSty := Text(10.5, false, NoteColor)
		capSty.YAlign = draw.YTop
		for _, line := range wrap(capSty, f.Caption, area.Max.X-area.Min.X) {
			area.FillText(capSty, vg.Point{X: area.Min.X, Y: area.Max.Y}, line)
			area.Max.Y -= capSty.Height(line) + 2
		}
	}
	area.Max.Y -= 8
}

// drawFoot writes the footer, bottom up, at the bottom of area, and takes
// it off it.
func (f *Figure) drawFoot(area *draw.Canvas) {
	footSty := Text(8, false, NoteColor)
	for i := len(f.Foot) - 1; i >= 0; i-- {
		area.FillText(footSty, vg.Point{X: area.Min.X, Y: area.Min.Y}, f.Foot[i])
		area.Min.Y += footSty.Height(f.Foot[i]) + 2
	}
	area.Min.Y += 6
}

// drawLegend draws the legend at the right of area, and takes it off it.
func (f *Figure) drawLegend(area *draw.Canvas) {
	if len(f.Legend) == 0 {
		return
	}
	l := plot.NewLegend()
	l.TextStyle = Text(10, false, color.Black)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(30)
	l.Padding = vg.Points(4)
	for _, e := range f.Legend {
		l.Add(e.Text, e.Thumbs...)
	}
	lw := l.Rectangle(*area).Size().X + 8
	la := *area
	la.Min.X = area.Max.X - lw
	la.Max.Y -= 4
	l.Draw(la)
	area.Max.X -= lw + 10
}

// wrap breaks s into lines no wider than width, keeping a number with a
// short unit after it ("13.4 MiB", "0.9 s") on one line.
func wrap(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range unitWords(s) {
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

// unitWords splits s into words, a number's short unit (five bytes at
// most, not a parenthesis) joined to the number.
func unitWords(s string) []string {
	var words []string
	for _, w := range strings.Fields(s) {
		if n := len(words); n > 0 && isDigit(words[n-1][len(words[n-1])-1]) && !isDigit(w[0]) && w[0] != '(' && len(w) <= 5 {
			words[n-1] += " " + w
			continue
		}
		words = append(words, w)
	}
	return words
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
