// Package reports turns the results of a run (package schema) into what
// people read: the terminal table, report.md with its findings, index.html,
// and the charts (memory, depth, throughput, latency, scaling), drawn with
// gonum/plot. Every figure it shows comes from results.json alone, so a run
// can be re-rendered at any time with chanbench report.
//
// It does not run trials, measure anything, or compare two runs (package
// compare does), and it does not consult the queue registry: what it says
// about a queue is what the results record. Numbers are spelled by
// internal/units.
package reports
