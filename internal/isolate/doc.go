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
// stdout. This package does not plan trials or print anything: that is the
// CLI's job.
package isolate
