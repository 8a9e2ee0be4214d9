package workloads

import (
	"fmt"

	"github.com/chanbench/chanbench/impls"
)

// A Trial is a Driver for whichever value type its spec asks for.
type Trial interface {
	// Run runs the trial to its end (see Driver.Run).
	Run() (*Result, error)
	// Now returns the time since the trial started, in nanoseconds.
	Now() int64
	// Progress returns the messages sent and received so far and the
	// queue's length (see Driver.Progress).
	Progress() (sent, received, depth int64)
}

// NewTrial builds the queue registered as impl for the spec's value size
// (Spec.Value) with the options qo, and a Driver to run the spec against it.
func NewTrial(spec Spec, impl string, qo impls.Options, opts Options) (Trial, error) {
	switch spec.Value() {
	case 16:
		return newTrial[Value16](spec, impl, qo, opts)
	case 32:
		return newTrial[Value32](spec, impl, qo, opts)
	case 64:
		return newTrial[Value64](spec, impl, qo, opts)
	case 128:
		return newTrial[Value128](spec, impl, qo, opts)
	case 256:
		return newTrial[Value256](spec, impl, qo, opts)
	case 1024:
		return newTrial[Value1024](spec, impl, qo, opts)
	}
	return nil, fmt.Errorf("value_bytes: %w", CheckValueBytes(spec.Value()))
}

func newTrial[V Value](spec Spec, impl string, qo impls.Options, opts Options) (Trial, error) {
	q, err := impls.NewWith[V](impl, qo)
	if err != nil {
		return nil, err
	}
	return NewDriver(spec, q, opts)
}

// acceptsValue reports whether the queue registered as impl can be built
// for values of the given size.
func acceptsValue(impl string, size int) bool {
	switch size {
	case 16:
		return impls.Accepts[Value16](impl)
	case 32:
		return impls.Accepts[Value32](impl)
	case 64:
		return impls.Accepts[Value64](impl)
	case 128:
		return impls.Accepts[Value128](impl)
	case 256:
		return impls.Accepts[Value256](impl)
	case 1024:
		return impls.Accepts[Value1024](impl)
	}
	return false
}
