package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/internal/machine"
	"github.com/chanbench/chanbench/internal/plan"
	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

const runUsage = `Usage: chanbench run [options]

Runs a workload against queues, each trial in its own child process under a
memory budget, and reports throughput, latency, memory and message loss. It
writes results.json, charts and report.md into the results directory, and
prints a summary table.

Exit status: 0 when every trial reached an outcome (oom is a finding, not an
error), 1 when a trial was invalid or crashed or the results could not be
written, 2 for bad input, 130 when interrupted (the finished trials are
written).

Examples:
  chanbench run --workload burst
  chanbench run --workload slow-consumer --mem-limit 256MiB --impl list,bounded
  chanbench run --workload steady --impl chan,ring --count 6
  chanbench run --workload steady --sweep producers=1,2,4,8
`

// runSections list run's own options apart from the workload overrides.
var runSections = []section{
	{title: "Options:"},
	{title: "Workload overrides (each replaces one key; default: the workload's):", has: isOverride},
}

// runOptions are the parsed flags of chanbench run.
type runOptions struct {
	plan       plan.Options
	impls      listFlag
	out        string
	json       bool
	quiet      bool
	noCharts   bool
	dryRun     bool
	force      bool
	gomaxprocs int
	over       workloads.Spec // the values of the workload overrides
}

// runFlags defines run's flags on a new set, bound to o, with their
// defaults.
func runFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	o.impls = listFlag{"all"}
	fs.StringVar(&o.plan.Workload, "workload", "burst", "run the workload `NAME|FILE`: a built-in one (see chanbench list) or a YAML file")
	fs.Var(&o.impls, "impl", "run the queues `LIST`, comma-separated, or all")
	fs.IntVar(&o.plan.Count, "count", 1, "run each trial `N` times")
	fs.StringVar(&o.plan.Sweep, "sweep", "", "run once per value: `KEY=V1,V2,…` with KEY one of "+orList(plan.SweepKeys))
	fs.StringVar(&o.out, "out", "", "write the results into `DIR` (default results/<workload>-<time>, never one that exists)")
	fs.BoolVar(&o.force, "force", false, "write into an --out that is not empty (replacing a run's results, report and charts there)")
	fs.BoolVar(&o.json, "json", false, "print the results document instead of the table")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
	fs.BoolVar(&o.noCharts, "no-charts", false, "write results.json only, no charts or report")
	fs.BoolVar(&o.dryRun, "dry-run", false, "check the options, print the planned trials, run nothing")
	fs.IntVar(&o.plan.LatencyEvery, "latency-every", 0, fmt.Sprintf(
		"stamp one message in `N` for latency (default 1 for paced producers, %d for flat-out ones)",
		workloads.AutoLatencyEvery(&workloads.Spec{})))
	fs.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "run each trial with GOMAXPROCS `N` (default: the machine's)")
	overrideFlags(fs, &o.over)
	return fs
}

// overrideFlags defines the flags that each replace one key of the
// workload, bound to the fields of v.
func overrideFlags(fs *flag.FlagSet, v *workloads.Spec) {
	var policies, sizes []string
	for p := impls.Block; p <= impls.DropNewest; p++ {
		policies = append(policies, p.String())
	}
	for _, n := range workloads.ValueSizes {
		sizes = append(sizes, strconv.Itoa(n))
	}
	fs.IntVar(&v.Producers, "producers", 0, "`N` producers")
	fs.IntVar(&v.Consumers, "consumers", 0, "`N` consumers")
	fs.IntVar(&v.Capacity, "capacity", 0, "a capacity of `N` for bounded queues (0: unbuffered)")
	fs.Var(policyFlag{&v.Policy}, "policy", "what a full bounded queue does, `POLICY`: "+orList(policies))
	fs.Var(sizeFlag{&v.PayloadBytes}, "payload", "`SIZE` of heap memory each message carries (1KiB; 0 for none)")
	fs.IntVar(&v.ValueBytes, "value-bytes", 0, "`N` bytes in each queued value: "+orList(sizes))
	fs.Float64Var(&v.Rate, "rate", 0, "`N` messages per second from each producer (0: as fast as the queue takes them)")
	fs.Int64Var(&v.Messages, "messages", 0, "send `N` messages in all, in place of a duration")
	fs.Var(durationFlag{&v.Duration}, "duration", "send for `D` (500ms, 2s), in place of a number of messages")
	fs.Var(durationFlag{&v.Idle}, "idle", "hold on for `D` after the drain, to see how much memory stays resident")
	fs.Var(durationFlag{&v.Consumer.ServiceTime}, "service-time", "spend `D` on each message received")
	fs.Var(sizeFlag{&v.MemLimit}, "mem-limit", "kill a trial whose RSS passes `SIZE` (256MiB)")
	fs.Var(durationFlag{&v.Timeout}, "timeout", "kill a trial still running after `D`")
}

// isOverride reports whether the run flag called name replaces a key of
// the workload.
func isOverride(name string) bool {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	overrideFlags(fs, new(workloads.Spec))
	return fs.Lookup(name) != nil
}

// orList spells items as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func runCmd(stdout, stderr io.Writer, args []string) error {
	var o runOptions
	fs := runFlags(&o)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInputf("run: unexpected argument %q (options start with --)", fs.Arg(0))
	}
	o.plan.Impls = o.impls
	o.plan.Override = o.override(fs)
	o.plan.MachineMemory = machine.Memory()

	p, err := plan.New(o.plan)
	if err != nil {
		return badInput(err)
	}
	if o.dryRun {
		if err := checkOut(o.out, o.force); err != nil {
			return badInput(err)
		}
		printPlan(stdout, p)
		return nil
	}
	return runPlan(stdout, stderr, p, &o)
}

// override points at the value of each workload flag given on the command
// line, and of --gomaxprocs.
func (o *runOptions) override(fs *flag.FlagSet) plan.Override {
	var v plan.Override
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "producers":
			v.Producers = &o.over.Producers
		case "consumers":
			v.Consumers = &o.over.Consumers
		case "capacity":
			v.Capacity = &o.over.Capacity
		case "policy":
			v.Policy = &o.over.Policy
		case "payload":
			v.PayloadBytes = &o.over.PayloadBytes
		case "value-bytes":
			v.ValueBytes = &o.over.ValueBytes
		case "rate":
			v.Rate = &o.over.Rate
		case "messages":
			v.Messages = &o.over.Messages
		case "duration":
			v.Duration = &o.over.Duration
		case "idle":
			v.Idle = &o.over.Idle
		case "service-time":
			v.ServiceTime = &o.over.Consumer.ServiceTime
		case "mem-limit":
			v.MemLimit = &o.over.MemLimit
		case "timeout":
			v.Timeout = &o.over.Timeout
		case "gomaxprocs":
			v.GOMAXPROCS = &o.gomaxprocs
		}
	})
	return v
}

// wrapLines wraps text to width characters, each line after indent.
func wrapLines(text string, width int, indent string) string {
	var b strings.Builder
	for _, line := range reports.Wrap(text, width, 0) {
		b.WriteString(indent + line + "\n")
	}
	return b.String()
}

// printPlan lists the planned trials, one a line, with the reason for each
// skipped one.
func printPlan(w io.Writer, p *plan.Plan) {
	trials := "trials"
	if len(p.Trials) == 1 {
		trials = "trial"
	}
	shape := reports.RunShape(&schema.Results{Workload: p.Spec, Sweep: p.Sweep})
	fmt.Fprintf(w, "workload %s: %s, %d %s\n", p.Spec.Name, shape, len(p.Trials), trials)
	for i, t := range p.Trials {
		line := fmt.Sprintf("%3d  %-8s rep %d", i+1, t.Impl, t.Repetition)
		if p.Sweep != nil {
			line += fmt.Sprintf("  %s=%s", p.Sweep.Key, t.SweepValue)
		}
		fmt.Fprintln(w, line)
		if t.Skip != "" {
			fmt.Fprint(w, wrapLines("skipped: "+t.Skip, 80-5, "     "))
		}
	}
}

// runPlan executes the plan and writes the results.
func runPlan(stdout, stderr io.Writer, p *plan.Plan, o *runOptions) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("run: find own executable: %w", err)
	}
	dir, err := outDir(o.out, p.Spec.Name, o.force, time.Now())
	if err != nil {
		return badInput(err)
	}
	unlock, err := lock(dir, o.force)
	if err != nil {
		return badInput(err)
	}
	defer unlock()
	res := &schema.Results{
		Schema:   schema.Schema,
		Tool:     buildTool(),
		Label:    filepath.Base(dir),
		Created:  time.Now().UTC().Truncate(time.Second),
		Command:  append([]string{"chanbench"}, os.Args[1:]...),
		Machine:  machine.Describe(),
		Workload: p.Spec,
		Count:    p.Count,
		Sweep:    p.Sweep,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner := &plan.Runner{Command: []string{exe, "trial"}, GOMAXPROCS: res.Machine.GOMAXPROCS,
		Watch: &watch{progress: newProgress(stderr, o.quiet), plan: p}}
	trials, runErr := runner.Run(ctx, p)
	res.Trials = trials
	res.Interrupted = runErr != nil
	if errors.Is(runErr, isolate.ErrInterrupted) {
		runErr = nil // a signal: exit 130 below
	}

	writeErr := writeResults(stderr, dir, res, !o.noCharts)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		reports.WriteTable(stdout, res)
	}
	if writeErr != nil {
		return failed(fmt.Errorf("results not written to %s", dir))
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "results: %s\n", dir)
	}
	if runErr != nil {
		return fmt.Errorf("run stopped, the finished trials are written: %w", runErr)
	}
	if res.Interrupted {
		return &exitError{code: 130, err: errors.New("interrupted; the finished trials are written")}
	}
	var bad []string
	for _, t := range res.Trials {
		if t.Outcome.Failed() {
			bad = append(bad, fmt.Sprintf("%s %s", t.Impl, t.Outcome))
		}
	}
	if len(bad) > 0 {
		return failed(fmt.Errorf("queues misbehaved: %s", strings.Join(bad, ", ")))
	}
	return nil
}

// writeResults writes results.json into dir, and with charts the charts
// and reports. When results.json cannot be written it keeps the results
// elsewhere, says where on stderr, and returns why; a chart that fails is
// only told of.
func writeResults(stderr io.Writer, dir string, res *schema.Results, charts bool) error {
	writeErr := schema.Write(dir, res)
	if writeErr != nil {
		// Keep the finished run somewhere: the table still prints.
		if kept, err := keepElsewhere(res); err == nil {
			fmt.Fprintf(stderr, "chanbench: %v; the results are in %s instead (chanbench report %s draws the charts)\n", writeErr, kept, kept)
		} else {
			fmt.Fprintf(stderr, "chanbench: %v; keeping them elsewhere failed too: %v\n", writeErr, err)
		}
	} else if charts {
		if err := writeReports(dir, res); err != nil {
			fmt.Fprintf(stderr, "chanbench: charts: %v\n", err)
		}
	}
	return writeErr
}

// watch shows a plan's progress on stderr.
type watch struct {
	progress *progress
	plan     *plan.Plan
}

func (w *watch) Start(i int) {
	t := w.plan.Trials[i]
	w.progress.start(i+1, len(w.plan.Trials), t.Impl, t.Repetition, w.plan.Count, t.SweepValue)
}

func (w *watch) Sample(s isolate.Status)     { w.progress.sample(s) }
func (w *watch) Done(i int, t *schema.Trial) { w.progress.done(t) }

func (w *watch) Skipped(i int) {
	t := w.plan.Trials[i]
	w.progress.skipped(i+1, len(w.plan.Trials), t.Impl, t.Skip)
}

var _ plan.Watcher = (*watch)(nil)
