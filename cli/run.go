package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/internal/machine"
	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

const runUsage = `Usage: chanbench run [options]

Runs a workload against queues, each trial in its own child process under a
memory budget, and reports throughput, latency, memory and message loss. It
writes results.json, charts and report.md into the results directory, and
prints a summary table.

Options:
  --workload NAME|FILE  built-in workload (see chanbench list) or a YAML file
                        (default burst)
  --impl LIST           queues to run, comma-separated, or all (default all)
  --count N             repetitions of each trial (default 1)
  --sweep KEY=V1,V2,…   run once per value of producers, consumers, capacity,
                        payload, value_bytes, rate or gomaxprocs
  --out DIR             results directory (default results/<workload>-<time>,
                        never one that exists)
  --force               write into an --out that is not empty (replacing a
                        run's results, report and charts there)
  --json                print the results document instead of the table
  --quiet               no progress on stderr
  --no-charts           write results.json only, no charts or report
  --dry-run             check the options, print the planned trials, run nothing
  --latency-every N     stamp one message in N for latency (default 1 for paced
                        producers, 256 for flat-out ones)

Workload overrides (each replaces one key of the workload):
  --producers N  --consumers N  --capacity N  --payload SIZE  --rate N
  --value-bytes 16|32|64|128|256|1024  the size of each queued value
  --policy block|reject|drop-oldest|drop-newest
  --messages N  --duration D  --idle D  --service-time D  --mem-limit SIZE
  --timeout D  --gomaxprocs N

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

// runOptions are the parsed flags of chanbench run.
type runOptions struct {
	workload   string
	impls      listFlag
	count      int
	sweep      string
	out        string
	json       bool
	quiet      bool
	noCharts   bool
	dryRun     bool
	force      bool
	gomaxprocs int
	latEvery   int
	set        map[string]bool // the flags given on the command line
	over       workloads.Spec  // overrides, for the flags in set
}

func runCmd(stdout, stderr io.Writer, args []string) error {
	o := runOptions{impls: listFlag{"all"}}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&o.workload, "workload", "burst", "")
	fs.Var(&o.impls, "impl", "")
	fs.IntVar(&o.count, "count", 1, "")
	fs.StringVar(&o.sweep, "sweep", "", "")
	fs.StringVar(&o.out, "out", "", "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.quiet, "quiet", false, "")
	fs.BoolVar(&o.noCharts, "no-charts", false, "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	fs.BoolVar(&o.force, "force", false, "")
	fs.IntVar(&o.gomaxprocs, "gomaxprocs", 0, "")
	fs.IntVar(&o.latEvery, "latency-every", 0, "")
	fs.IntVar(&o.over.Producers, "producers", 0, "")
	fs.IntVar(&o.over.Consumers, "consumers", 0, "")
	fs.IntVar(&o.over.Capacity, "capacity", 0, "")
	fs.StringVar(&o.over.Policy, "policy", "", "")
	fs.Var(sizeFlag{&o.over.PayloadBytes}, "payload", "")
	fs.IntVar(&o.over.ValueBytes, "value-bytes", 0, "")
	fs.Float64Var(&o.over.Rate, "rate", 0, "")
	fs.Int64Var(&o.over.Messages, "messages", 0, "")
	fs.Var(durationFlag{&o.over.Duration}, "duration", "")
	fs.Var(durationFlag{&o.over.Idle}, "idle", "")
	fs.Var(durationFlag{&o.over.Consumer.ServiceTime}, "service-time", "")
	fs.Var(sizeFlag{&o.over.MemLimit}, "mem-limit", "")
	fs.Var(durationFlag{&o.over.Timeout}, "timeout", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInputf("run: unexpected argument %q (options start with --)", fs.Arg(0))
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })

	p, err := o.plan()
	if err != nil {
		return badInput(err)
	}
	if o.dryRun {
		if err := checkOut(o.out, o.force); err != nil {
			return badInput(err)
		}
		p.print(stdout)
		return nil
	}
	return p.run(stdout, stderr, &o)
}

// A plan is a validated run: the workload, the queues, and the trials in
// the order they will run.
type plan struct {
	spec   workloads.Spec
	impls  []string
	sweep  *schema.Sweep
	trials []plannedTrial
}

type plannedTrial struct {
	impl       string
	repetition int
	sweepValue string
	spec       workloads.Spec
	gomaxprocs int
	skip       string // why the queue cannot serve it, for skipped trials
}

// plan validates the options and lays out the trials: repetitions
// outermost, then sweep values, then queues, so that slow drift on a noisy
// machine spreads over every queue instead of favouring one.
func (o *runOptions) plan() (*plan, error) {
	mem := machine.Memory()
	spec, err := workloads.Load(o.workload, mem)
	if err != nil {
		return nil, err
	}
	if err := o.override(&spec, mem); err != nil {
		return nil, err
	}
	if o.count < 1 {
		return nil, fmt.Errorf("--count: %d, want at least 1", o.count)
	}
	if o.gomaxprocs < 0 {
		return nil, fmt.Errorf("--gomaxprocs: %d is negative", o.gomaxprocs)
	}
	if o.latEvery < 0 {
		return nil, fmt.Errorf("--latency-every: %d is negative", o.latEvery)
	}
	p := &plan{spec: spec}
	explicit := !(len(o.impls) == 1 && o.impls[0] == "all")
	if explicit {
		for _, name := range o.impls {
			if name == "all" {
				return nil, errors.New("--impl: all means every queue; give it alone, or name the queues")
			}
			if _, ok := impls.Lookup(name); !ok {
				return nil, fmt.Errorf("--impl: unknown queue %q (known: %s)", name, strings.Join(impls.Names(), ", "))
			}
			if slices.Contains(p.impls, name) {
				return nil, fmt.Errorf("--impl: %s given twice", name)
			}
			p.impls = append(p.impls, name)
		}
	} else {
		p.impls = impls.Names()
	}

	type point struct {
		value      string
		spec       workloads.Spec
		gomaxprocs int
	}
	points := []point{{spec: spec, gomaxprocs: o.gomaxprocs}}
	if o.sweep != "" {
		key, values, err := parseSweep(o.sweep)
		if err != nil {
			return nil, err
		}
		if flag := cmp.Or(sweepFlag[key], key); o.set[flag] {
			return nil, fmt.Errorf("--%s and --sweep %s: the sweep sets %s; give one or the other", flag, key, key)
		}
		p.sweep = &schema.Sweep{Key: key, Values: values}
		points = points[:0]
		for _, v := range values {
			s, procs, err := sweepPoint(spec, key, v, o.gomaxprocs, mem)
			if err != nil {
				return nil, err
			}
			points = append(points, point{value: v, spec: s, gomaxprocs: procs})
		}
	}
	// When no queue named explicitly can serve the workload at all, that is
	// the user's mistake; a queue that cannot serve it among others that can
	// (ring beside chan at capacity 0), or only for some sweep values, is
	// skipped with the reason.
	var why error
	servesAny := false
	for _, name := range p.impls {
		for _, pt := range points {
			if err := pt.spec.CheckImpl(name); err != nil {
				why = cmp.Or(why, err)
			} else {
				servesAny = true
			}
		}
	}
	if explicit && !servesAny {
		return nil, fmt.Errorf("--impl: %v (workload %s: %s)", why, spec.Name, spec.Shape())
	}
	// A drop policy for queues that are all unbounded would never act.
	if policy, _ := impls.ParsePolicy(spec.Policy); explicit && policy != impls.Block {
		never := true
		for _, name := range p.impls {
			info, _ := impls.Lookup(name)
			never = never && info.PolicyBy(policy) == impls.ByNobody
		}
		if never {
			are := "are"
			if len(p.impls) == 1 {
				are = "is"
			}
			return nil, fmt.Errorf("--policy %s: %s %s unbounded and never full, so the policy would never act",
				policy, strings.Join(p.impls, " and "), are)
		}
	}
	for rep := 1; rep <= o.count; rep++ {
		for _, pt := range points {
			for _, name := range p.impls {
				t := plannedTrial{impl: name, repetition: rep, sweepValue: pt.value, spec: pt.spec, gomaxprocs: pt.gomaxprocs}
				if err := pt.spec.CheckImpl(name); err != nil {
					t.skip = err.Error()
				}
				p.trials = append(p.trials, t)
			}
		}
	}
	return p, nil
}

// wrapLines wraps text to width characters, each line after indent.
func wrapLines(text string, width int, indent string) string {
	var b strings.Builder
	for _, line := range reports.Wrap(text, width, 0) {
		b.WriteString(indent + line + "\n")
	}
	return b.String()
}

// print lists the planned trials, one a line, with the reason for each
// skipped one.
func (p *plan) print(w io.Writer) {
	trials := "trials"
	if len(p.trials) == 1 {
		trials = "trial"
	}
	shape := reports.RunShape(&schema.Results{Workload: p.spec, Sweep: p.sweep})
	fmt.Fprintf(w, "workload %s: %s, %d %s\n", p.spec.Name, shape, len(p.trials), trials)
	for i, t := range p.trials {
		line := fmt.Sprintf("%3d  %-8s rep %d", i+1, t.impl, t.repetition)
		if p.sweep != nil {
			line += fmt.Sprintf("  %s=%s", p.sweep.Key, t.sweepValue)
		}
		fmt.Fprintln(w, line)
		if t.skip != "" {
			fmt.Fprint(w, wrapLines("skipped: "+t.skip, 80-5, "     "))
		}
	}
}

// override applies the workload flags that were given, then validates.
func (o *runOptions) override(s *workloads.Spec, mem uint64) error {
	v := o.over
	for name, apply := range map[string]func(){
		"producers":    func() { s.Producers = v.Producers },
		"consumers":    func() { s.Consumers = v.Consumers },
		"capacity":     func() { s.Capacity = v.Capacity },
		"policy":       func() { s.Policy = v.Policy },
		"payload":      func() { s.PayloadBytes = v.PayloadBytes },
		"value-bytes":  func() { s.ValueBytes = v.ValueBytes },
		"rate":         func() { s.Rate = v.Rate },
		"messages":     func() { s.Messages, s.Duration = v.Messages, 0 },
		"duration":     func() { s.Duration, s.Messages = v.Duration, 0 },
		"idle":         func() { s.Idle = v.Idle },
		"service-time": func() { s.Consumer.ServiceTime = v.Consumer.ServiceTime },
		"mem-limit":    func() { s.MemLimit = v.MemLimit },
		"timeout":      func() { s.Timeout = v.Timeout },
	} {
		if o.set[name] {
			apply()
		}
	}
	switch {
	case o.set["messages"] && o.set["duration"]:
		return errors.New("--messages and --duration: give one or the other, not both")
	case o.set["messages"] && v.Messages < 1:
		return fmt.Errorf("--messages: %d, want at least 1", v.Messages)
	case o.set["duration"] && v.Duration == 0:
		return errors.New("--duration: 0, want more than 0")
	case o.set["value-bytes"] && workloads.CheckValueBytes(v.ValueBytes) != nil:
		return fmt.Errorf("--value-bytes: %w", workloads.CheckValueBytes(v.ValueBytes))
	}
	if (o.set["duration"] || o.set["messages"] || o.set["idle"]) && !o.set["timeout"] {
		s.Timeout = s.DefaultTimeout()
	}
	if err := s.Validate(mem); err != nil {
		return fmt.Errorf("workload %s: %w", s.Name, err)
	}
	return nil
}

var sweepKeys = []string{"producers", "consumers", "capacity", "payload", "value_bytes", "rate", "gomaxprocs"}

// sweepFlag is the flag that sets a swept key, where its name differs.
var sweepFlag = map[string]string{"value_bytes": "value-bytes"}

// parseSweep reads KEY=V1,V2,…. A key may be spelled as its flag
// (value-bytes for value_bytes).
func parseSweep(s string) (string, []string, error) {
	key, list, ok := strings.Cut(s, "=")
	for k, flag := range sweepFlag {
		if key == flag {
			key = k
		}
	}
	if !ok || !slices.Contains(sweepKeys, key) {
		return "", nil, fmt.Errorf("--sweep: %q, want KEY=V1,V2,… with KEY one of %s", s, strings.Join(sweepKeys, ", "))
	}
	var values []string
	for _, v := range strings.Split(list, ",") {
		if v = strings.TrimSpace(v); v != "" {
			if slices.Contains(values, v) {
				return "", nil, fmt.Errorf("--sweep: %s value %s given twice", key, v)
			}
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return "", nil, fmt.Errorf("--sweep: no values for %s", key)
	}
	return key, values, nil
}

// sweepPoint returns the spec with the swept key set to value.
func sweepPoint(spec workloads.Spec, key, value string, gomaxprocs int, mem uint64) (workloads.Spec, int, error) {
	bad := func(err error) error { return fmt.Errorf("--sweep: %s=%s: %v", key, value, err) }
	atoi := func() (int, error) {
		n, err := strconv.Atoi(value)
		if err != nil {
			return 0, bad(errors.New("not a whole number"))
		}
		return n, nil
	}
	var err error
	switch key {
	case "producers":
		spec.Producers, err = atoi()
	case "consumers":
		spec.Consumers, err = atoi()
	case "capacity":
		spec.Capacity, err = atoi()
	case "gomaxprocs":
		gomaxprocs, err = atoi()
		if err == nil && gomaxprocs < 1 {
			err = bad(errors.New("want at least 1"))
		}
	case "payload":
		spec.PayloadBytes, err = workloads.ParseSize(value)
		if err != nil {
			err = bad(err)
		}
	case "value_bytes":
		// Checked here, not only by Validate: to a spec, 0 means the default.
		spec.ValueBytes, err = atoi()
		if e := workloads.CheckValueBytes(spec.ValueBytes); err == nil && e != nil {
			err = bad(e)
		}
	case "rate":
		spec.Rate, err = strconv.ParseFloat(value, 64)
		if err != nil {
			err = bad(errors.New("not a number"))
		}
	}
	if err != nil {
		return spec, 0, err
	}
	if err := spec.Validate(mem); err != nil {
		return spec, 0, bad(err)
	}
	return spec, gomaxprocs, nil
}

// outDir returns the results directory, created and known to be writable,
// before any trial runs: a run must never finish only to find it cannot
// keep its results. A directory given with --out that already holds results
// is refused unless force is set. The default, results/<workload>-<time>,
// is claimed with a single mkdir, so two runs started in the same second
// get different directories (the second with a -2 suffix).
func outDir(out, workload string, force bool, now time.Time) (string, error) {
	if out == "" {
		base := filepath.Join("results", fmt.Sprintf("%s-%s", sanitize(workload), now.Format("20060102-150405")))
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			return "", fmt.Errorf("results directory: %w", err)
		}
		for n := 1; ; n++ {
			dir := base
			if n > 1 {
				dir = fmt.Sprintf("%s-%d", base, n)
			}
			err := os.Mkdir(dir, 0o755)
			if err == nil {
				return dir, checkWritable(dir)
			}
			if !errors.Is(err, os.ErrExist) || n == 1000 {
				return "", fmt.Errorf("results directory: %w", err)
			}
		}
	}
	if err := checkOut(out, force); err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("--out: %w", err)
	}
	if force {
		// Nothing of the run being replaced may stay beside the new one.
		old := []string{schema.FileName, reports.ReportFileName, reports.HTMLFileName}
		for _, name := range reports.ChartNames {
			old = append(old, name+".png", name+".svg")
		}
		for _, name := range old {
			if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("--force: %w", err)
			}
		}
	}
	return out, checkWritable(out)
}

// checkOut reports whether --out can take this run's results, without
// creating anything: a directory that holds another run's results or other
// files, or that another run is writing into, is refused unless force is
// set.
func checkOut(out string, force bool) error {
	if out == "" {
		return nil
	}
	st, err := os.Stat(out)
	switch {
	case err == nil && !st.IsDir():
		return fmt.Errorf("--out %s is a file, not a directory", out)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--out: %w", err)
	case err != nil:
		// Not there yet: its nearest existing parent must be a directory.
		for dir := filepath.Dir(out); ; dir = filepath.Dir(dir) {
			if st, err := os.Stat(dir); err == nil {
				if !st.IsDir() {
					return fmt.Errorf("--out %s: %s is not a directory", out, dir)
				}
				return nil
			}
			if dir == filepath.Dir(dir) {
				return nil
			}
		}
	}
	if force {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, lockName)); err == nil {
		return fmt.Errorf("--out %s: another chanbench run is writing there (if none is, remove %s)", out, filepath.Join(out, lockName))
	}
	if _, err := os.Stat(filepath.Join(out, schema.FileName)); err == nil {
		return fmt.Errorf("--out %s already holds results; give a new directory, or --force to replace them", out)
	}
	// A directory of other files (--out .) would get report.md, index.html
	// and the charts written over whatever of those names it holds.
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("--out %s is not empty; give a new or empty directory, or --force to write into it", out)
	}
	return nil
}

// lockName is the file a run keeps in its results directory while it runs,
// so that a second run started into the same --out is refused.
const lockName = ".chanbench-running"

// lock claims dir for this run: it creates lockName, failing if another
// run has (unless force). The returned function removes it.
func lock(dir string, force bool) (func(), error) {
	path := filepath.Join(dir, lockName)
	flags := os.O_CREATE | os.O_WRONLY | os.O_EXCL
	if force {
		flags = os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("--out %s: another chanbench run is writing there (if none is, remove %s)", dir, path)
	}
	if err != nil {
		return nil, fmt.Errorf("results directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	return func() { os.Remove(path) }, nil
}

// checkWritable proves that dir takes files by writing and removing one.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".chanbench-write-check-*")
	if err != nil {
		return fmt.Errorf("results directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// run executes the plan and writes the results.
func (p *plan) run(stdout, stderr io.Writer, o *runOptions) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("run: find own executable: %w", err)
	}
	dir, err := outDir(o.out, p.spec.Name, o.force, time.Now())
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
		Workload: p.spec,
		Count:    o.count,
		Sweep:    p.sweep,
		Trials:   []schema.Trial{},
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := newProgress(stderr, o.quiet)
	runner := &isolate.Runner{Command: []string{exe, "trial"}, OnSample: progress.sample}
	var runErr error // a trial that could not be started; the finished ones are kept
	for i, pt := range p.trials {
		if ctx.Err() != nil {
			break
		}
		t := schema.Trial{}
		if pt.skip == "" {
			progress.start(i+1, len(p.trials), pt.impl, pt.repetition, o.count, pt.sweepValue)
			cfg := isolate.Config{Impl: pt.impl, Spec: pt.spec, GOMAXPROCS: pt.gomaxprocs, LatencyEvery: o.latEvery, Seed: uint64(pt.repetition)}
			t, err = runner.Run(ctx, cfg)
			if errors.Is(err, isolate.ErrInterrupted) {
				progress.done(&schema.Trial{Outcome: "interrupted"})
				break
			}
			if err != nil {
				progress.done(&schema.Trial{Outcome: "not started"})
				runErr = err
				break
			}
			progress.done(&t)
		} else {
			t = schema.Trial{Outcome: schema.Skipped, Reason: pt.skip, MemLimitBytes: int64(pt.spec.MemLimit)}
			progress.skipped(i+1, len(p.trials), pt.impl, pt.skip)
		}
		t.Impl, t.Workload, t.Repetition = pt.impl, p.spec.Name, pt.repetition
		if p.sweep != nil {
			t.SweepKey, t.SweepValue = p.sweep.Key, pt.sweepValue
		}
		t.Params = params(pt, res.Machine.GOMAXPROCS)
		res.Trials = append(res.Trials, t)
	}
	res.Interrupted = ctx.Err() != nil || runErr != nil

	writeErr := schema.Write(dir, res)
	if writeErr != nil {
		// Keep the finished run somewhere: the table still prints below.
		if kept, err := keepElsewhere(res); err == nil {
			fmt.Fprintf(stderr, "chanbench: %v; the results are in %s instead (chanbench report %s draws the charts)\n", writeErr, kept, kept)
		} else {
			fmt.Fprintf(stderr, "chanbench: %v; keeping them elsewhere failed too: %v\n", writeErr, err)
		}
	} else if !o.noCharts {
		if err := writeReports(dir, res); err != nil {
			fmt.Fprintf(stderr, "chanbench: charts: %v\n", err)
		}
	}
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

// keepElsewhere writes the results into a new directory under the system's
// temporary directory, for a run whose results directory failed it.
func keepElsewhere(res *schema.Results) (string, error) {
	dir, err := os.MkdirTemp("", "chanbench-results-")
	if err != nil {
		return "", err
	}
	return dir, schema.Write(dir, res)
}

// params are the trial's effective parameters; a child given no GOMAXPROCS
// runs with the machine's default.
func params(pt plannedTrial, defaultProcs int) schema.Params {
	s := pt.spec
	procs := pt.gomaxprocs
	if procs == 0 {
		procs = defaultProcs
	}
	info, _ := impls.Lookup(pt.impl)
	policy, _ := impls.ParsePolicy(s.Policy)
	return schema.Params{
		Producers: s.Producers, Consumers: s.Consumers, Capacity: s.Capacity, Policy: s.Policy,
		PolicyBy:     string(info.PolicyBy(policy)),
		PayloadBytes: int64(s.PayloadBytes), ValueBytes: s.Value(), Rate: s.Rate, GOMAXPROCS: procs,
	}
}

// sanitize makes a workload name safe as part of a directory name.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
}
