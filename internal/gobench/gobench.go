// Package gobench writes chanbench results in the Go benchmark format
// (`go test -bench` output), so that people who already use benchstat, or
// any golang.org/x/perf/benchfmt reader, can compare chanbench runs with
// their own tools.
//
// It is an export only: it does not read the format back and it computes
// no statistics. chanbench's own comparison (package compare) reads
// results.json, which holds more: how a failed trial ended, and every
// trial's parameters.
package gobench

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/chanbench/chanbench/internal/textio"
	"github.com/chanbench/chanbench/schema"
)

// unitDirections are the units Write uses besides ns/op, with the
// direction that counts as better, announced in the format's "Unit"
// metadata lines so that benchstat labels changes correctly. Units follow
// the benchfmt conventions: ns and B are recognised and rescaled;
// the part before the last dash names the figure.
var unitDirections = []struct{ unit, better string }{
	{"msg/s", "higher"},
	{"p50-ns", "lower"},
	{"p99-ns", "lower"},
	{"p99.9-ns", "lower"},
	{"peak-rss-B", "lower"},
	{"allocs/msg", "lower"},
}

// Write writes the trials of runs that ended ok as Go benchmark
// lines, one per trial:
//
//	BenchmarkRun/workload=steady/impl=ring  <received>  <ns/msg> ns/op  <msg/s> msg/s  <p50> p50-ns …
//
// The iteration count is the number of messages received, and ns/op the
// time per message, so that benchstat's usual column reads as expected.
// A swept parameter joins the name ("/producers=4"). Each run opens with
// "key: value" configuration lines: goos, goarch, cpu, go, workload and
// chanbench (the build). Trials that did not end ok are left out, since
// the format has no way to say how a benchmark failed; skipped counts
// them.
func Write(w io.Writer, runs ...*schema.Results) (skipped int, err error) {
	ew := &textio.ErrWriter{W: w}
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(ew)
		}
		version := r.Tool.Version
		if r.Tool.Commit != "" {
			version += " (" + r.Tool.Commit + ")"
		}
		for _, kv := range [][2]string{
			{"goos", r.Machine.OS},
			{"goarch", r.Machine.Arch},
			{"cpu", r.Machine.CPU},
			{"go", r.Machine.GoVersion},
			{"workload", r.Workload.Name},
			{"chanbench", version},
		} {
			// An empty value would delete the key for the lines below.
			if v := strings.TrimSpace(kv[1]); v != "" {
				fmt.Fprintf(ew, "%s: %s\n", kv[0], v)
			}
		}
		if i == 0 {
			for _, u := range unitDirections {
				fmt.Fprintf(ew, "Unit %s better=%s\n", u.unit, u.better)
			}
		}
		for j := range r.Trials {
			t := &r.Trials[j]
			if t.Outcome != schema.OK {
				skipped++
				continue
			}
			writeLine(ew, r, t)
		}
	}
	return skipped, ew.Err
}

// writeLine writes one trial as a benchmark line.
func writeLine(w io.Writer, r *schema.Results, t *schema.Trial) {
	workload := t.Workload
	if workload == "" {
		workload = r.Workload.Name
	}
	name := "Run/workload=" + nameField(workload) + "/impl=" + nameField(t.Impl)
	if t.SweepKey != "" {
		name += "/" + nameField(t.SweepKey) + "=" + nameField(t.SweepValue)
	}
	fields := []string{"Benchmark" + name, fmt.Sprint(t.Received)}
	add := func(v float64, unit string) {
		fields = append(fields, number(v)+" "+unit)
	}
	if t.Throughput > 0 {
		add(1e9/t.Throughput, "ns/op")
	}
	add(t.Throughput, "msg/s")
	if l := t.Latency; l != nil {
		add(float64(l.P50), "p50-ns")
		add(float64(l.P99), "p99-ns")
		add(float64(l.P999), "p99.9-ns")
	}
	if t.PeakRSSBytes > 0 {
		add(float64(t.PeakRSSBytes), "peak-rss-B")
	}
	add(t.AllocsPerMsg, "allocs/msg")
	fmt.Fprintln(w, strings.Join(fields, "\t"))
}

// nameField keeps a name part to one field: no spaces.
func nameField(s string) string {
	return strings.Join(strings.Fields(s), "_")
}

// number writes x with the precision `go test` uses: more digits
// for smaller numbers, never an exponent.
func number(x float64) string {
	var prec int
	switch y := math.Abs(x); {
	case y == 0 || y >= 999.95:
		prec = 0
	case y >= 99.995:
		prec = 1
	case y >= 9.9995:
		prec = 2
	case y >= 0.99995:
		prec = 3
	case y >= 0.099995:
		prec = 4
	case y >= 0.0099995:
		prec = 5
	case y >= 0.00099995:
		prec = 6
	default:
		prec = 7
	}
	return fmt.Sprintf("%.*f", prec, x)
}
