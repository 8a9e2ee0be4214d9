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

// A Panel is a plot of a Figure that remembers the plotters added to it,
// which gonum/plot keeps to itself, so that what a figure will draw can be
// read without drawing it.
type Panel struct {
	*plot.Plot
	plotters []plot.Plotter
}

// NewPanel returns a panel in the house style: sans-serif axis labels and
// ticks, a bold title when it is given one, and a light grid behind the
// data.
func NewPanel() *Panel {
	p := &Panel{Plot: plot.New()}
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

// Add adds ps to the plot, as plot.Plot's Add does, and remembers them.
func (p *Panel) Add(ps ...plot.Plotter) {
	p.Plot.Add(ps...)
	p.plotters = append(p.plotters, ps...)
}

// Plotters returns what was added to the panel, in order, the grid first.
func (p *Panel) Plotters() []plot.Plotter { return p.plotters }

// LogAxisTitle names a log-scale Y axis in the panel's title instead of
// beside the axis: gonum/plot makes room for a centred axis label at the
// arithmetic middle of the range, which on a log axis lies near the top,
// and so squashes the plot.
func (p *Panel) LogAxisTitle(title string) {
	p.Title.Text = title
	p.Y.Label.Text = ""
}
