package plotkit

import (
	"math"
	"testing"

	"gonum.org/v1/plot"
)

// The axes reach every rule and noted point, and a rule claims no X range.
func TestDataRange(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name string
		r    plot.DataRanger
		want [4]float64 // xmin, xmax, ymin, ymax
	}{
		{"rule", &Rule{Y: 512}, [4]float64{inf, -inf, 512, 512}},
		{"no notes", &Notes{}, [4]float64{inf, -inf, inf, -inf}},
		{"notes", &Notes{Items: []Note{{X: 3, Y: -1}, {X: -2, Y: 8}, {X: 1, Y: 4}}}, [4]float64{-2, 3, -1, 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xmin, xmax, ymin, ymax := tc.r.DataRange()
			if got := [4]float64{xmin, xmax, ymin, ymax}; got != tc.want {
				t.Errorf("DataRange() = %v, want %v", got, tc.want)
			}
		})
	}
}
