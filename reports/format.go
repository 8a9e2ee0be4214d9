package reports

import (
	"fmt"
	"math"
	"strings"
)

// Rate formats a per-second figure with k/M/G suffixes: 12.3M.
func Rate(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case a >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// NS formats nanoseconds with a unit that keeps three significant digits:
// 850ns, 12.4µs, 3.1ms, 1.25s.
func NS(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return trim(v/1e9) + "s"
	case a >= 1e6:
		return trim(v/1e6) + "ms"
	case a >= 1e3:
		return trim(v/1e3) + "µs"
	}
	return fmt.Sprintf("%.0fns", v)
}

// Bytes formats a byte count in MiB (or KiB/GiB where that reads better).
func Bytes(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1<<30:
		return trim(v/(1<<30)) + " GiB"
	case a >= 1<<20:
		return trim(v/(1<<20)) + " MiB"
	case a >= 1<<10:
		return trim(v/(1<<10)) + " KiB"
	}
	return fmt.Sprintf("%.0f B", v)
}

// Percent formats a fraction in [0,1] as a percentage.
func Percent(f float64) string {
	if f > 0 && f < 0.001 {
		return "<0.1%"
	}
	return trim(100*f) + "%"
}

// Count formats a message count: 950, 12.3k, 4.56M.
func Count(v float64) string {
	if math.Abs(v) < 1e4 {
		return fmt.Sprintf("%.0f", v)
	}
	return Rate(v)
}

// trim keeps three significant digits: 123, 12.3, 1.23.
func trim(v float64) string {
	var s string
	switch a := math.Abs(v); {
	case a >= 100:
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	default:
		s = fmt.Sprintf("%.2f", v)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
