// Package cli is chanbench's command line as a library. The chanbench
// command is nothing but a call to Main; a program in another module can
// register queues of its own with impls.Register and then call Main, so that
// every chanbench feature — isolated trials, memory budgets, validation,
// charts, compare — works on its queues too:
//
//	func main() {
//		impls.Register(impls.Info{Name: "mine", Summary: "my queue"},
//			func(o impls.Options) impls.Queue[workloads.Message] {
//				return myqueue.New[workloads.Message](o.Capacity)
//			})
//		os.Exit(cli.Main(os.Stdout, os.Stderr, os.Args[1:]))
//	}
//
// Each trial re-runs the same executable as a child, so the registration
// must happen on every start, before Main (in main or an init function).
//
// Commands:
//
//	chanbench run     --workload burst     run a workload against the queues
//	chanbench list                         list the queues and workloads
//	chanbench report  results.json…        rebuild charts and reports
//	chanbench compare OLD NEW              compare two runs (CI regression check)
//	chanbench export  RESULTS              results in Go benchmark format
//
// This package parses flags and wires the other packages together; the work
// lives in impls, workloads, reports and internal/isolate.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

const usage = `chanbench measures queues the way production load treats them.

Usage:
  chanbench run     [options]            run a workload against the queues
  chanbench list                         list the queues and the workloads
  chanbench report  [options] RESULTS…   rebuild charts and reports from results
  chanbench compare [options] OLD NEW    compare two runs; exit 1 on a regression
  chanbench export  [options] RESULTS    write results in Go benchmark format

Run "chanbench COMMAND -h" for a command's options.
`

// Main runs the chanbench command line args (without the program name) and
// returns the exit code: 0 on success, 1 when the work found a failure (a
// crashed or invalid trial, a regression), 2 for bad input, 130 when
// interrupted.
func Main(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = runCmd(stdout, stderr, rest)
	case "list":
		err = listCmd(stdout, stderr, rest)
	case "report":
		err = reportCmd(stdout, stderr, rest)
	case "compare":
		err = compareCmd(stdout, stderr, rest)
	case "export":
		err = exportCmd(stdout, stderr, rest)
	case "trial":
		err = trialCmd(stdout, stderr, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "chanbench", version())
		return 0
	default:
		fmt.Fprintf(stderr, "chanbench: unknown command %q (want run, list, report, compare or export)\n", cmd)
		return 2
	}
	return exitCode(stderr, err)
}

// An exitError is an error that ends chanbench with a particular exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks err as the user's mistake: exit code 2.
func badInput(err error) error { return &exitError{code: 2, err: err} }

// badInputf formats a bad-input error: exit code 2.
func badInputf(format string, args ...any) error { return badInput(fmt.Errorf(format, args...)) }

// failed marks err as a finding that fails the command: exit code 1.
func failed(err error) error { return &exitError{code: 1, err: err} }

// errHelp is returned after printing a command's usage on request.
var errHelp = flag.ErrHelp

// exitCode prints err as one line and maps it to an exit code.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if err.Error() != "" {
		fmt.Fprintln(stderr, "chanbench:", err)
	}
	return code
}

// parseFlags parses args with fs, printing usage text for -h. Flag errors
// are bad input.
func parseFlags(fs *flag.FlagSet, stderr io.Writer, usageText string, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			return errHelp
		}
		return badInputf("%s: %v (see chanbench %s -h)", fs.Name(), err, fs.Name())
	}
	return nil
}
