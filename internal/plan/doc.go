// Package plan lays out a chanbench run and runs it. From a workload, the
// queues, a sweep, overrides and a repetition count, New builds the Plan:
// every trial in the order it will run, each with its workload, its
// parameters and, for a queue that cannot serve it, the reason it is
// skipped. A Runner then runs a plan's trials one by one, each in a child
// process through internal/isolate, and returns a schema.Trial for each.
//
// Trials are laid out repetitions outermost, then sweep values, then
// queues, so that slow drift on a noisy machine spreads over every queue
// instead of favouring one.
//
// This package will not parse flags, print, or write results: a command
// line or a test fills in Options, and what to show of the trials and where
// to keep them is the caller's (package cli). Nor does it look at the
// machine: its memory and default GOMAXPROCS are given to it. Its errors
// name the options as chanbench run spells them (--count, --sweep), since
// that is where a user gives them.
package plan
