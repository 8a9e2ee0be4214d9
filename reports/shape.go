package reports

import (
	"strconv"
	"strings"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// This file states what a run's workload was when a sweep varied one of
// its keys: the swept key is shown as the values it took, never as the
// base workload's value, which no trial may have run with.

// RunShape is the run's workload in the compact form of the terminal
// header (workloads.Spec.Shape), with a swept key written as the set of
// its values in braces where Shape puts the value, or added at the end
// where Shape shows none:
//
//	{1,2,4,8}P×1C flat out 1s
//	4P×1C flat out 1s capacity {1,64,1024}
//	1P×1C {1000,5000}/s each 1KiB 8s
func RunShape(r *schema.Results) string {
	s := r.Workload
	sw := r.Sweep
	if sw == nil || len(sw.Values) == 0 {
		return s.Shape()
	}
	set := "{" + strings.Join(sweptValues(sw, compactValue), ",") + "}"
	return s.SweptShape(sw.Key, set)
}

// sweptValues returns the sweep's values, each spelled by f from the key
// and the value as given on the command line.
func sweptValues(sw *schema.Sweep, f func(key, value string) string) []string {
	out := make([]string, len(sw.Values))
	for i, v := range sw.Values {
		out[i] = f(sw.Key, v)
	}
	return out
}

// compactValue spells a swept value as the terminal header does: a size
// the way a workload file writes it (64B, 1KiB), a rate as a plain number.
// A value that does not parse is shown as given.
func compactValue(key, v string) string {
	switch key {
	case "payload":
		n, err := workloads.ParseSize(v)
		if err != nil {
			return v
		}
		s := n.String()
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			s += "B" // Size.String leaves a plain byte count bare
		}
		return s
	case "rate":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	return v
}

// proseValue spells a swept value for report.md: sizes and rates in the
// units the rest of the report uses (1 KiB, 5k msg/s).
func proseValue(key, v string) string {
	switch key {
	case "payload":
		if n, err := workloads.ParseSize(v); err == nil {
			return units.Bytes(float64(n))
		}
	case "rate":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return units.Count(f)
		}
	}
	return v
}

// orList joins xs as "a, b or c".
func orList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
