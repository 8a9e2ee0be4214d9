package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/chanbench/chanbench/compare"
	"github.com/chanbench/chanbench/schema"
)

const compareUsage = `Usage: chanbench compare [options] OLD NEW

Compare two runs the way benchstat compares benchmarks, and exit 1 when a
queue got significantly worse: the CI regression check.

Trials are matched by workload, queue and parameters. For each metric
(throughput, p50 and p99 latency, peak RSS, allocations per message where
recorded) it prints the medians of the repetitions that ended ok, the
change, and a verdict: better, worse, or ~ (no significant difference).
The verdict comes from the Mann-Whitney U test over the repetitions: a
change counts only when it is significant at --alpha AND larger than
--threshold. With too few repetitions to ever reach significance it says
how many are needed. A queue whose repetitions failed more often (oom,
timeout, crash, invalid) than before is worse on "outcome".

OLD and NEW are results files, run directories, or directories of runs:
every results.json below such a directory is read and the repetitions
pooled, which is how scripts/perf-check.sh compares interleaved runs.

Exit status: 0 nothing gating got worse, 1 a gating metric got worse,
2 bad input (a missing or foreign file, workloads that do not match).

Examples:
  chanbench run --workload steady --count 10 --out base
  chanbench run --workload steady --count 10 --out head
  chanbench compare base head
  chanbench compare --fail-on throughput,p99 --format markdown base head
  chanbench compare --threshold 10% --alpha 0.01 old.json new.json
`

// compareOptions are the parsed flags of chanbench compare.
type compareOptions struct {
	opt       compare.Options
	threshold percentFlag
	format    string
	failOn    metricsFlag
}

// compareFlags defines compare's flags on a new set, bound to o, with
// their defaults.
func compareFlags(o *compareOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	o.opt = compare.DefaultOptions
	o.threshold = percentFlag(o.opt.Threshold)
	o.failOn = metricsFlag(compare.MetricNames())
	fs.Float64Var(&o.opt.Alpha, "alpha", o.opt.Alpha, "significance level `P` of the U test, in (0,1)")
	fs.Var(&o.threshold, "threshold", "smallest change that counts, in percent: `PCT` is 5% or 5")
	fs.StringVar(&o.format, "format", "text", "print `FORMAT`: text, markdown (a table for a pull-request comment) or json")
	fs.Var(&o.failOn, "fail-on", "fail the check when any of `METRICS`, comma-separated, got worse: "+
		strings.Join(compare.MetricNames(), ", ")+`; "none" for no gate`)
	return fs
}

func compareCmd(stdout, stderr io.Writer, args []string) error {
	var o compareOptions
	fs := compareFlags(&o)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opt := o.opt
	opt.Threshold = float64(o.threshold)
	if fs.NArg() != 2 {
		return misusef("compare", "want two results, OLD and NEW; got %d", fs.NArg())
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return misusef("compare", "--alpha %g is out of range (0,1)", opt.Alpha)
	}
	var write func(*compare.Comparison, io.Writer) error
	switch o.format {
	case "text":
		write = (*compare.Comparison).WriteText
	case "markdown", "md":
		write = (*compare.Comparison).WriteMarkdown
	case "json":
		write = (*compare.Comparison).WriteJSON
	default:
		return misusef("compare", "--format %q: want text, markdown or json", o.format)
	}

	oldPath, newPath := fs.Arg(0), fs.Arg(1)
	old, err := schema.LoadRuns(oldPath)
	if err != nil {
		return badInputf("compare: OLD %w", err)
	}
	new, err := schema.LoadRuns(newPath)
	if err != nil {
		return badInputf("compare: NEW %w", err)
	}
	c, err := compare.Runs(oldPath, old, newPath, new, opt)
	if err != nil {
		return badInputf("compare: %w", err)
	}
	if err := write(c, stdout); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if worse := c.Regressions(o.failOn); len(worse) > 0 {
		return failed(regressionError(worse, len(c.Workloads()) > 1))
	}
	return nil
}

// regressionError says in one line what got worse.
func regressionError(worse []compare.Delta, withWorkload bool) error {
	parts := make([]string, len(worse))
	for i, d := range worse {
		parts[i] = d.Summary(withWorkload)
	}
	noun := "regression"
	if len(worse) > 1 {
		noun += "s"
	}
	return fmt.Errorf("compare: %d %s: %s", len(worse), noun, strings.Join(parts, ", "))
}

// A percentFlag is a fraction given in percent: "5%" or "5" is 0.05.
type percentFlag float64

func (p *percentFlag) String() string {
	return strconv.FormatFloat(float64(*p)*100, 'g', -1, 64) + "%"
}

func (p *percentFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	if err != nil || v < 0 || v != v || v > 1e6 {
		return errors.New("want a percentage such as 5%")
	}
	*p = percentFlag(v / 100)
	return nil
}

// A metricsFlag is a comma-separated list of metric names; "none" is the
// empty list.
type metricsFlag []string

func (m *metricsFlag) String() string {
	if len(*m) == 0 {
		return "none"
	}
	return strings.Join(*m, ",")
}

func (m *metricsFlag) Set(s string) error {
	if strings.TrimSpace(s) == "none" {
		*m = metricsFlag{}
		return nil
	}
	valid := compare.MetricNames()
	var out metricsFlag
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(valid, name) {
			return fmt.Errorf("unknown metric %q (want %s or none)", name, strings.Join(valid, ", "))
		}
		out = append(out, name)
	}
	if len(out) == 0 {
		return fmt.Errorf("no metric named (want %s or none)", strings.Join(valid, ", "))
	}
	*m = out
	return nil
}
