package plotkit

import (
	"image/color"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The colours of the furniture around the data.
var (
	// NoteColor is the grey of captions, footers and notes.
	NoteColor = color.RGBA{0x55, 0x55, 0x55, 0xff}
	// GridColor is the grey of the grid behind the data.
	GridColor = color.RGBA{0xe2, 0xe2, 0xe2, 0xff}
	// BandShade fills a Span that names no shade of its own.
	BandShade = color.RGBA{0xee, 0xee, 0xee, 0xff}
)

// sansFont is the house typeface; gonum/plot embeds it.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Text returns a sans-serif text style of size points, bold or not,
// anchored at its lower left corner.
func Text(size float64, bold bool, c color.Color) text.Style {
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
