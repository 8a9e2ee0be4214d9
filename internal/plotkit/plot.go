package plotkit

import (
	"image/color"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NewPlot returns a plot in the house style: sans-serif axis labels and
// ticks, a bold title when it is given one, and a light grid behind the
// data.
func NewPlot() *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, vg.Points(11))
		a.Tick.Label.Font = font.From(sansFont, vg.Points(9.5))
		a.Tick.Label.Color = color.Black
		a.Padding = vg.Points(2)
	}
	bold := sansFont
	bold.Weight = stdfont.WeightBold
	p.Title.TextStyle.Font = font.From(bold, vg.Points(11))
	p.Title.Padding = vg.Points(6)
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: GridColor, Width: vg.Points(0.6)}
	g.Horizontal = g.Vertical
	p.Add(g)
	return p
}
