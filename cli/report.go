package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
)

const reportUsage = `Usage: chanbench report [options] RESULTS...

Draw the charts of one or more runs and write report.md and index.html
beside them, rebuilt from the results files alone. With several runs
(two machines, before and after a change) each chart draws them together,
every queue's line labelled by its run: the name of its run directory.

RESULTS is a results file, a run directory, or a directory of runs.

Charts, each as NAME.png and NAME.svg:
  memory      RSS over time, the memory budget, and where trials were killed
  depth       messages queued over time
  latency     latency by percentile, HDR-style
  throughput  messages per second per queue, spread across repetitions
  retained    peak RSS beside the RSS kept after the drain and idle phase
              (workloads with an idle phase, or where memory was kept)
  scaling     throughput, p99 and peak RSS against the swept parameter
              (runs with --sweep)

report.md states the findings in numbers and embeds the PNGs: paste it
into a pull request. index.html is the same page with the SVGs inline; it
opens in a browser with nothing else beside it.

Examples:
  chanbench report results/slow-consumer
  chanbench report --out docs/example results/burst/results.json
  chanbench report --out laptop-vs-server laptop/steady server/steady
`

// reportFlags defines report's flags on a new set, bound to out.
func reportFlags(out *string) *flag.FlagSet {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.StringVar(out, "out", "", "write into `DIR` (default: the run directory, when RESULTS is one run or one directory)")
	return fs
}

func reportCmd(stdout, stderr io.Writer, args []string) error {
	out := new(string)
	fs := reportFlags(out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return misusef("report", "want at least one results file or directory")
	}
	dir := *out
	if dir == "" {
		if fs.NArg() > 1 {
			return badInputf("report: %d results given; say where the merged report goes with --out DIR", fs.NArg())
		}
		dir = fs.Arg(0)
		if st, err := os.Stat(dir); err == nil && !st.IsDir() {
			dir = filepath.Dir(dir)
		}
	}
	var runs []*schema.Results
	for _, path := range fs.Args() {
		rs, err := schema.LoadRuns(path)
		if err != nil {
			return badInputf("report: %w", err)
		}
		runs = append(runs, rs...)
	}
	if err := reports.WriteAll(dir, runs...); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var charts []string
	for _, name := range reports.ChartNames {
		if _, err := os.Stat(filepath.Join(dir, name+".png")); err == nil {
			charts = append(charts, name)
		}
	}
	fmt.Fprintf(stdout, "wrote %s, %s and %s (.png, .svg) in %s\n",
		reports.ReportFileName, reports.HTMLFileName, strings.Join(charts, ", "), dir)
	return nil
}
