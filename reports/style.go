package reports

import (
	"hash/fnv"
	"image/color"
	"math"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A QueueStyle is how every chart draws one queue: the same colour, dash
// pattern and marker on every chart and in every run, so a reader who has
// learned "list is the red line with dots" reads the next chart without the
// legend. Dashes and markers keep the lines apart in greyscale print.
//
// The built-in queues follow one visual rule: unbounded queues (list,
// segment, pump) are warm colours with filled markers, bounded ones cool
// colours or black with hollow markers.
type QueueStyle struct {
	// Color is the line, marker and bar colour.
	Color color.Color
	// Dashes is the line's dash pattern; nil draws a solid line.
	Dashes []vg.Length
	// Glyph is the marker drawn along the line and in the legend.
	Glyph draw.GlyphDrawer
}

// Colours from Okabe and Ito's palette, chosen to stay distinct for readers
// with colour-blindness.
var (
	black       = color.RGBA{0x00, 0x00, 0x00, 0xff}
	orange      = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	skyBlue     = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	bluishGreen = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	blue        = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	vermillion  = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	purple      = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
)

// Dash patterns in points, each distinct from the others at a glance.
var (
	solid       []vg.Length
	longDash    = []vg.Length{6, 3}
	dotted      = []vg.Length{2, 2}
	dashDot     = []vg.Length{8, 3, 2, 3}
	dashDotDot  = []vg.Length{8, 3, 2, 3, 2, 3}
	veryLong    = []vg.Length{14, 4}
	shortDashes = []vg.Length{4, 2, 1, 2}
)

// queueStyles holds the built-in queues' styles.
var queueStyles = map[string]QueueStyle{
	"list":    {vermillion, solid, plotkit.Marker{Shape: plotkit.Circle}},
	"segment": {orange, longDash, plotkit.Marker{Shape: plotkit.Triangle}},
	"pump":    {purple, dashDot, plotkit.Marker{Shape: plotkit.Square}},
	"chan":    {black, dotted, plotkit.Marker{Shape: plotkit.Circle, Hollow: true}},
	"ring":    {blue, veryLong, plotkit.Marker{Shape: plotkit.Triangle, Hollow: true}},
	"bounded": {bluishGreen, dashDotDot, plotkit.Marker{Shape: plotkit.Square, Hollow: true}},
	"spsc":    {skyBlue, shortDashes, plotkit.Marker{Shape: plotkit.Diamond, Hollow: true}},
}

// Styles for queues registered from outside, picked by a hash of the name
// so that a queue keeps its look across charts, runs and machines.
var (
	extraColors = []color.Color{
		color.RGBA{0x88, 0x22, 0x55, 0xff}, // wine
		color.RGBA{0x44, 0xaa, 0x99, 0xff}, // teal
		color.RGBA{0x99, 0x99, 0x33, 0xff}, // olive
		color.RGBA{0x33, 0x22, 0x88, 0xff}, // indigo
		color.RGBA{0x66, 0x11, 0x00, 0xff}, // brown
		color.RGBA{0x11, 0x77, 0x33, 0xff}, // green
		color.RGBA{0x88, 0x88, 0x88, 0xff}, // grey
	}
	extraDashes = [][]vg.Length{solid, longDash, dotted, dashDot, dashDotDot, veryLong, shortDashes}
	extraGlyphs = []draw.GlyphDrawer{
		plotkit.Marker{Shape: plotkit.Circle}, plotkit.Marker{Shape: plotkit.Circle, Hollow: true}, plotkit.Marker{Shape: plotkit.Square}, plotkit.Marker{Shape: plotkit.Square, Hollow: true},
		plotkit.Marker{Shape: plotkit.Triangle}, plotkit.Marker{Shape: plotkit.Triangle, Hollow: true}, plotkit.Marker{Shape: plotkit.Diamond}, plotkit.Marker{Shape: plotkit.Diamond, Hollow: true},
		plotkit.Marker{Shape: plotkit.Cross}, plotkit.Marker{Shape: plotkit.Plus},
	}
)

// StyleOf returns the style of the queue registered as impl. A queue
// outside the built-in set gets a style derived from a hash of its name.
func StyleOf(impl string) QueueStyle {
	if s, ok := queueStyles[impl]; ok {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(impl))
	v := h.Sum32()
	return QueueStyle{
		Color:  extraColors[v%uint32(len(extraColors))],
		Dashes: extraDashes[(v/7)%uint32(len(extraDashes))],
		Glyph:  extraGlyphs[(v/49)%uint32(len(extraGlyphs))],
	}
}

// runStyle returns the style of impl in the run at index run of a merged
// chart: the first run draws the queue's own style; later runs keep its
// dashes, lighten its colour and swap filled and hollow markers, so "ring
// (before)" and "ring (after)" read as one queue, twice.
func runStyle(impl string, run int) QueueStyle {
	s := StyleOf(impl)
	if run == 0 {
		return s
	}
	s.Color = plotkit.Lighten(s.Color, math.Min(0.3+0.2*float64(run-1), 0.7))
	s.Glyph = otherGlyph(s.Glyph)
	return s
}

// otherGlyph returns the hollow counterpart of a filled marker and the
// other way round; a cross becomes a plus.
func otherGlyph(g draw.GlyphDrawer) draw.GlyphDrawer {
	if m, ok := g.(plotkit.Marker); ok {
		return m.Counterpart()
	}
	return g
}

// series is how a queue's line is drawn: in its colour and dashes, with
// its marker.
func (s QueueStyle) series() plotkit.Series {
	return plotkit.Series{
		Line:  draw.LineStyle{Color: s.Color, Width: vg.Points(1.8), Dashes: s.Dashes},
		Glyph: draw.GlyphStyle{Color: s.Color, Radius: vg.Points(3.6), Shape: s.Glyph},
	}
}

// killGlyph is the mark where a trial was killed: a red cross.
func killGlyph() draw.GlyphStyle {
	return draw.GlyphStyle{Color: failColor, Radius: vg.Points(5), Shape: plotkit.HaloCross{}}
}

// drainGlyph is the mark where a queue had drained: a short upright bar
// across its line, in the queue's colour.
func drainGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(7), Shape: plotkit.HaloBar{}}
}

// Colours of the chart furniture.
var (
	failColor   = color.RGBA{0xc0, 0x10, 0x10, 0xff} // kills and failures
	budgetShade = color.RGBA{0xfd, 0xe8, 0xe6, 0xff} // above the memory budget
	stopShade   = color.RGBA{0xf6, 0xf6, 0xf6, 0xff} // while the producers stopped, one queue after another
)

// humanRate spells messages per second for prose: 480k msg/s.
func humanRate(perSec float64) string { return units.Rate(perSec) + " msg/s" }

// countOf spells n of a noun with the noun's plural when n is not one:
// "1 message", "88k messages".
func countOf(n float64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return units.Count(n) + " " + noun + "s"
}
