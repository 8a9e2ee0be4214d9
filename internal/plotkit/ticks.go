package plotkit

import (
	"math"

	"gonum.org/v1/plot"
)

// HumanTicks mark a linear axis at round steps (1, 2, 2.5 or 5 times a
// power of ten) giving about six labels, formatted by Format, with an
// unlabelled tick halfway between labels. gonum's default gives three, too
// few to read a value off.
type HumanTicks struct {
	// Format spells a labelled tick's value.
	Format func(float64) string
}

var _ plot.Ticker = HumanTicks{}

// Ticks implements plot.Ticker.
func (t HumanTicks) Ticks(min, max float64) []plot.Tick {
	const want = 6
	if !(max > min) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / want
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []plot.Tick
	for i := math.Ceil(min / step); i*step <= max*(1+1e-9); i++ {
		v := i * step
		ticks = append(ticks, plot.Tick{Value: v, Label: t.Format(v)})
		if m := v + step/2; m <= max {
			ticks = append(ticks, plot.Tick{Value: m})
		}
	}
	if first := math.Ceil(min/step)*step - step/2; first >= min {
		ticks = append(ticks, plot.Tick{Value: first})
	}
	return ticks
}

// LogTicks mark a log axis at each power of ten, and at 2 and 5 times it
// when the axis spans two decades or fewer, labelled by Format; every
// tick is labelled when fewer than two would be. Unlabelled ticks mark the
// other multiples, 3, 4, 6 to 9.
type LogTicks struct {
	// Format spells a labelled tick's value.
	Format func(float64) string
}

var _ plot.Ticker = LogTicks{}

// Ticks implements plot.Ticker; min must be above zero.
func (t LogTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	few := hi-lo <= 2
	var ticks []plot.Tick
	labelled := 0
	for e := lo; e <= hi; e++ {
		for m := 1.0; m <= 9; m++ {
			v := m * math.Pow(10, e)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			tk := plot.Tick{Value: v}
			if m == 1 || few && (m == 2 || m == 5) {
				tk.Label = t.Format(v)
				labelled++
			}
			ticks = append(ticks, tk)
		}
	}
	if labelled < 2 {
		for i := range ticks {
			ticks[i].Label = t.Format(ticks[i].Value)
		}
	}
	return ticks
}

// PercentileTicks label an axis of 1/(1-p), on which 90%, 99%, 99.9% …
// lie evenly apart on a log scale, with the percentiles p: 50% at 2, 90%
// at 10, 99% at 100, up to the first power of ten past max (99% at least).
func PercentileTicks(max float64) plot.ConstantTicks {
	labels := []string{"", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"}
	ticks := plot.ConstantTicks{{Value: 2, Label: "50%"}}
	for i, l := range labels {
		v := math.Pow(10, float64(i))
		if v > max*1.0001 && i > 2 {
			break
		}
		if i == 0 {
			ticks = append(ticks, plot.Tick{Value: 1, Label: l})
			continue
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: l})
	}
	return ticks
}
