// Package cli is chanbench's command line as a library. The chanbench
// command is nothing but a call to Main; a program in another module can
// register queues of its own with impls.Register and then call Main, so that
// every chanbench feature — isolated trials, memory budgets, validation,
// charts, compare — works on its queues too:
//
//	func register[V workloads.Value]() error {
//		return impls.Register(impls.Info{Name: "mine", Summary: "my queue"},
//			func(o impls.Options) impls.Queue[V] { return myqueue.New[V](o.Capacity) })
//	}
//
//	func main() {
//		register[workloads.Value16]() // and the other sizes to be run
//		os.Exit(cli.Main(os.Stdout, os.Stderr, os.Args[1:]))
//	}
//
// Each trial re-runs the same executable as a child, so the registration
// must happen on every start, before Main (in main or an init function). A
// queue is built for the value type of the workload's value_bytes; one not
// registered for it is skipped with the reason.
//
// Commands:
//
//	chanbench run     --workload burst     run a workload against the queues
//	chanbench list                         list the queues and workloads
//	chanbench report  results.json…        rebuild charts and reports
//	chanbench compare OLD NEW              compare two runs (CI regression check)
//	chanbench export  RESULTS              results in Go benchmark format
//	chanbench version                      the version and the commit
//	chanbench help    [COMMAND]            usage of chanbench or of a command
//
// This package parses flags and wires the other packages together; the work
// lives in impls, workloads, reports, internal/plan and internal/isolate.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usage = `chanbench measures queues the way production load treats them.

Usage:
  chanbench run     [options]          run a workload against the queues
  chanbench list                       list the queues and the workloads
  chanbench report  [options] RESULTS  rebuild charts and reports from results
  chanbench compare [options] OLD NEW  compare two runs; exit 1 on a regression
  chanbench export  [options] RESULTS  write results in Go benchmark format
  chanbench version                    print the version of chanbench
  chanbench help    [COMMAND]          print this text, or a command's usage

Exit status: 0 success, 1 a finding that fails the command (an invalid or
crashed trial, a regression), 2 bad input, 130 interrupted.

Run 'chanbench help COMMAND' for a command's usage and options.
`

const helpUsage = `Usage: chanbench help [COMMAND]

Prints chanbench's usage, or with COMMAND that command's usage and options,
on standard output. chanbench COMMAND -h does the same.
`

// A command is one chanbench subcommand.
type command struct {
	name string
	// text is the hand-written part of the usage: the usage line, what
	// the command does, its exit status and examples.
	text string
	// flags returns a new set of the command's flags, bound to values of
	// its own: the set the command parses its arguments with.
	flags func() *flag.FlagSet
	// sections group the flags in the usage; nil lists them all under
	// "Options:".
	sections []section
	run      func(stdout, stderr io.Writer, args []string) error
}

// usage is the text -h and chanbench help print: the hand-written text,
// then every flag the command accepts with its default, generated from the
// flags themselves so that it cannot drift from what is accepted.
func (c *command) usage() string {
	sections := c.sections
	if sections == nil {
		sections = options
	}
	return c.text + flagUsage(c.flags(), sections)
}

// commands are the subcommands a user can call, in the order the usage
// lists them. The hidden child side of a trial, trial, is not one of them.
var commands = []command{
	{name: "run", text: runUsage, run: runCmd, sections: runSections,
		flags: func() *flag.FlagSet { return runFlags(new(runOptions)) }},
	{name: "list", text: listUsage, run: listCmd, flags: listFlags},
	{name: "report", text: reportUsage, run: reportCmd,
		flags: func() *flag.FlagSet { return reportFlags(new(string)) }},
	{name: "compare", text: compareUsage, run: compareCmd,
		flags: func() *flag.FlagSet { return compareFlags(new(compareOptions)) }},
	{name: "export", text: exportUsage, run: exportCmd,
		flags: func() *flag.FlagSet { return exportFlags(new(string)) }},
	{name: "version", text: versionUsage, run: versionCmd, flags: versionFlags},
}

// lookup returns the command called name, or nil.
func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// Main runs the chanbench command line args (without the program name) and
// returns the exit code: 0 on success, 1 when the work found a failure (a
// crashed or invalid trial, a regression), 2 for bad input, 130 when
// interrupted.
//
// As with the go command, usage asked for (chanbench help, -h) goes to
// stdout with exit code 0; usage that answers a mistake goes to stderr with
// exit code 2: the whole text when there are no arguments at all, else one
// line that says what was wrong and where the usage is.
func Main(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return exitCode(stderr, help(stdout, rest))
	case "-version", "--version":
		name = "version"
	case "trial":
		return exitCode(stderr, trialCmd(stdout, stderr, rest))
	}
	cmd := lookup(name)
	if cmd == nil {
		what := "command"
		if strings.HasPrefix(name, "-") {
			what = "flag"
		}
		return exitCode(stderr, badInputf("unknown %s %q%s", what, name, helpPointer("")))
	}
	err := cmd.run(stdout, stderr, rest)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, cmd.usage())
		return 0
	}
	return exitCode(stderr, err)
}

// help prints the usage of chanbench, or of the command args names.
func help(stdout io.Writer, args []string) error {
	switch {
	case len(args) == 0:
		fmt.Fprint(stdout, usage)
	case len(args) > 1:
		return badInputf("help: want at most one command, got %d%s", len(args), helpPointer(""))
	case args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		fmt.Fprint(stdout, helpUsage)
	case lookup(args[0]) != nil:
		fmt.Fprint(stdout, lookup(args[0]).usage())
	default:
		return badInputf("help: unknown command %q%s", args[0], helpPointer(""))
	}
	return nil
}

// helpPointer is the end of an error line that says where to read the
// usage of cmd, or of chanbench when cmd is empty.
func helpPointer(cmd string) string {
	if cmd == "" {
		return " (run 'chanbench help' for usage)"
	}
	return " (run 'chanbench help " + cmd + "' for usage)"
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

// misusef formats a misuse of command cmd — a bad flag, a wrong number of
// arguments — as bad input that points at the command's usage.
func misusef(cmd, format string, args ...any) error {
	return badInput(fmt.Errorf("%s: %w%s", cmd, fmt.Errorf(format, args...), helpPointer(cmd)))
}

// failed marks err as a finding that fails the command: exit code 1.
func failed(err error) error { return &exitError{code: 1, err: err} }

// errHelp is returned by a command asked for its usage (-h, -help,
// --help); Main prints the usage.
var errHelp = flag.ErrHelp

// exitCode prints err as one line and maps it to an exit code.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
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

// parseFlags parses a command's args with fs, the flag set named after the
// command. It prints nothing: asked for help it returns errHelp, and Main
// prints the command's usage on stdout; any other flag error is a misuse.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return misusef(fs.Name(), "%w", err)
	}
	return nil
}
