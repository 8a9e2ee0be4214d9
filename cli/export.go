package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"

	"github.com/chanbench/chanbench/internal/gobench"
	"github.com/chanbench/chanbench/schema"
)

const exportUsage = `Usage: chanbench export [options] RESULTS

Write results in the Go benchmark format, for benchstat and other tools
built on golang.org/x/perf/benchfmt. Each trial that ended ok becomes one
line (wrapped here), named after the workload, the queue and the swept
value:

  BenchmarkRun/workload=steady/impl=ring  <received>  <ns/msg> ns/op
      <msg/s> msg/s  <p50> p50-ns  <p99> p99-ns  <p99.9> p99.9-ns
      <peak> peak-rss-B  <allocs> allocs/msg

after "key: value" lines naming the machine (goos, goarch, cpu, go), the
workload and the chanbench build. Trials that did not end ok are left out
(the format cannot say how a benchmark failed); the command says how many.

RESULTS is a results file, a run directory, or a directory of runs.

Examples:
  chanbench export results/steady > steady.txt
  chanbench export --out old.txt base && chanbench export --out new.txt head
  benchstat old.txt new.txt
`

// exportFlags defines export's flags on a new set, bound to out.
func exportFlags(out *string) *flag.FlagSet {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(out, "out", "", "write to `FILE` instead of standard output")
	return fs
}

func exportCmd(stdout, stderr io.Writer, args []string) error {
	out := new(string)
	fs := exportFlags(out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return misusef("export", "want one results file or directory; got %d", fs.NArg())
	}
	runs, err := schema.LoadRuns(fs.Arg(0))
	if err != nil {
		return badInputf("export: %w", err)
	}
	var buf bytes.Buffer
	skipped, err := gobench.Write(&buf, runs...)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	} else if err := schema.WriteFileAtomic(*out, buf.Bytes()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if skipped > 0 {
		what := "trials that did not end ok"
		if skipped == 1 {
			what = "trial that did not end ok"
		}
		fmt.Fprintf(stderr, "chanbench: export: left out %d %s\n", skipped, what)
	}
	return nil
}
