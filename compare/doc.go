// Package compare decides whether a queue got better or worse between two
// sets of chanbench runs, OLD and NEW: the statistics behind `chanbench
// compare` and the CI regression check, and their renderings as a text
// table, a markdown table and JSON.
//
// Runs pools the repetitions of every run on each side, matches trials
// that ran the same queue through the same workload with the same
// parameters (and sweep value), and gives each matched queue one Delta
// per metric (Metrics) and, where repetitions failed, one for
// OutcomeMetric. Comparison.Regressions picks the worse ones among the
// metrics a caller gates on.
//
// # The test
//
// The decision is benchstat's. The medians of the repetitions that ended
// ok are compared with the Mann-Whitney U test
// (golang.org/x/perf/benchmath, AssumeNothing). Benchmark figures are
// rarely normal: they are skewed, with outliers wherever another process
// took a core for a while, so a t-test's assumption would not hold. The U
// test assumes nothing about the shape of the distributions; it asks only
// whether one side's values tend to be larger. It is less powerful than a
// parametric test, which costs repetitions, not false alarms.
//
// A change counts only when it is significant at Options.Alpha AND the
// medians differ by more than Options.Threshold (and by more than the
// metric's Floor): on a shared CI machine a significant 1% shift is
// usually the machine. Outcomes are compared as shares of failed
// repetitions, without a test: a queue that went from ok to oom, timeout,
// crash or invalid more often is worse.
//
// # What it will not do
//
// It does not guess where the samples are too few to reach significance
// at the chosen alpha: the verdict is ~ and a note says how many are
// needed. It does not correct for testing many metrics and queues at
// once; Options.Threshold is the guard against noise. It does not load
// results (package schema does), run anything, draw charts (package
// reports does), or decide what fails a build: Regressions returns what
// got worse, and the caller decides what that means. It imports nothing
// that draws.
package compare
