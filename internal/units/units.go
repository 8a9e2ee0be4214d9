// Package units spells chanbench's numbers for people: message counts and
// rates, durations, byte sizes and shares, with one rule everywhere — three
// significant digits at most, trailing zeros dropped (1.5M, 12.4µs, 310
// MiB, 4.2%) — so that the terminal table, report.md, index.html and the
// charts print a figure alike. (compare keeps benchunit's four digits for
// its medians and changes: see compare's render.go.)
//
// It formats single numbers only: it does not choose what to show, align
// columns or pluralize nouns, and it holds no statistics.
package units

import (
	"math"
	"strconv"
)

// Missing stands in a table cell for a figure that does not exist: a
// trial that did not run, a latency never measured.
const Missing = "–"

// Number spells v with three significant digits at most, trailing zeros
// dropped: 123, 12.3, 1.23, 0.5. Values of a thousand and more keep their
// integer digits.
func Number(v float64) string {
	var s string
	switch a := math.Abs(v); {
	case a >= 100:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		s = strconv.FormatFloat(v, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	return trimZeros(s)
}

// trimZeros drops the trailing zeros of a decimal fraction, and the point
// when nothing follows it: "1.50" is "1.5", "2.00" is "2".
func trimZeros(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			for s[len(s)-1] == '0' {
				s = s[:len(s)-1]
			}
			if s[len(s)-1] == '.' {
				s = s[:len(s)-1]
			}
			break
		}
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// Count spells a count of messages: exact below ten thousand (950, 1024),
// then with a k, M or G suffix (12.3k, 4.56M).
func Count(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return Number(v/1e9) + "G"
	case a >= 1e6:
		return Number(v/1e6) + "M"
	case a >= 1e4:
		return Number(v/1e3) + "k"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

// Rate spells a per-second figure as Count does; the caller adds the unit
// ("msg/s") where it is not in a column's heading.
func Rate(v float64) string { return Count(v) }

// NS spells a duration given in nanoseconds in the unit that keeps its
// integer part short: 850ns, 12.4µs, 3.1ms, 1.25s.
func NS(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return Number(v/1e9) + "s"
	case a >= 1e6:
		return Number(v/1e6) + "ms"
	case a >= 1e3:
		return Number(v/1e3) + "µs"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "ns"
}

// Bytes spells a byte count in binary units: 512 B, 3.5 KiB, 310 MiB,
// 1.2 GiB.
func Bytes(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1<<30:
		return Number(v/(1<<30)) + " GiB"
	case a >= 1<<20:
		return Number(v/(1<<20)) + " MiB"
	case a >= 1<<10:
		return Number(v/(1<<10)) + " KiB"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + " B"
}

// Percent spells a fraction (1 is 100%) as a percentage: whole percents
// from 10% up, one decimal below, and "<0.1%" for a share too small to
// show but not zero: 91%, 4.2%, <0.1%, 0%.
func Percent(f float64) string {
	p := 100 * f
	switch a := math.Abs(p); {
	case a == 0:
		return "0%"
	case a < 0.1:
		if p < 0 {
			return "-<0.1%"
		}
		return "<0.1%"
	case a < 10:
		return strconv.FormatFloat(math.Round(p*10)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
}

// SignedPercent spells a relative change f (0.095 is 9.5% more): +9.5%,
// −14%, and from a doubling up the factor instead: 2×, 14.3×.
func SignedPercent(f float64) string {
	if f >= 1 {
		return Number(1+f) + "×"
	}
	if f > 0 {
		return "+" + Percent(f)
	}
	if f == 0 {
		return "0%"
	}
	return "−" + Percent(-f)
}

// secondsUnits are Seconds' units, largest first: the unit, its length in
// seconds, and the least span Seconds spells in it.
var secondsUnits = []struct {
	name       string
	sec, least float64
}{
	{" days", 86400, 2 * 86400},
	{" h", 3600, 2 * 3600},
	{" min", 60, 120},
	{"s", 1, 0},
}

// Seconds spells a span of seconds: 0.6s, 51s, 4.2 min, 3.1 h.
func Seconds(s float64) string {
	a := math.Abs(s)
	for _, u := range secondsUnits {
		if a >= u.least {
			return Number(s/u.sec) + u.name
		}
	}
	return Number(s) + "s"
}

// SecondsIn returns a formatter that spells spans of seconds in one unit:
// the one Seconds picks for the shortest of xs, so that spans of one kind
// side by side read alike ("113s" and "121s", never "113s" and "2.02
// min"). Non-positive xs are ignored; with none, it is Seconds.
func SecondsIn(xs ...float64) func(float64) string {
	least := math.Inf(1)
	for _, x := range xs {
		if x > 0 {
			least = math.Min(least, x)
		}
	}
	if math.IsInf(least, 1) {
		return Seconds
	}
	for _, u := range secondsUnits {
		if least >= u.least {
			return func(s float64) string { return Number(s/u.sec) + u.name }
		}
	}
	return Seconds
}
