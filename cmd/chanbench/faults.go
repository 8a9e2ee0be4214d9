//go:build chanbench_faults

package main

import "github.com/chanbench/chanbench/internal/faults"

// Binaries built with -tags chanbench_faults carry deliberately broken
// queues, so tests can check that the harness reports each fault.
func init() { faults.Register() }
