// Package isolate runs each chanbench trial in a child process and watches
// it from the parent: the parent reads the child's RSS at about 100 Hz,
// kills it when it passes its memory budget or its timeout, and turns
// whatever happened — a result, a kill, a panic — into a schema.Trial.
//
// Why a process per trial: Go rarely hands freed memory back to the OS at
// once, so trials sharing a process would pollute each other's RSS; and the
// unbounded-queue trap must kill only the trial, never the harness.
//
// The child is the same binary run with a hidden subcommand (see Child). It
// reads its Config as JSON on stdin and writes Events as JSON lines on
// stdout.
//
// What it will not do: plan trials or repeat them (internal/plan does),
// or print anything (the CLI does); judge a queue beyond the messages the child counted;
// or limit the child's memory by any means but watching and killing it
// (no cgroups, no rlimits: the budget is checked, not enforced, so a child
// may pass it by what it grows in one sampling interval, and the figure is
// recorded as Kill.OverBudgetBytes).
//
// The pieces, one per file:
//
//  1. protocol.go: Config and Event, what the parent and the child say to
//     each other.
//  2. child.go: the child's side, Child: runs the workload and reports
//     phases, samples and its result, with a safety net that exits past
//     1.5 times the budget (sleep_*.go: its sampler's sleep).
//  3. start.go: starting the child (command, stdin, stderr head, process
//     group from sysproc_*.go) and following it until it is reaped.
//  4. events.go: reading the child's event stream into a report.
//  5. watch.go: sampling the child's RSS, keeping the series and the peak,
//     killing it over its budget or past its timeout.
//  6. classify.go: turning what was seen — the watch's figures, the report,
//     the exit status, stderr — into the trial's outcome, reason and fields.
//  7. parent.go: Runner.Run, which wires 3 to 6 together for one trial.
package isolate
