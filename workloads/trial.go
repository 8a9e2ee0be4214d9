package workloads

import (
	"fmt"
	"reflect"

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
	vt, ok := valueTypes[spec.Value()]
	if !ok {
		return nil, fmt.Errorf("value_bytes: %w", CheckValueBytes(spec.Value()))
	}
	return vt.newTrial(spec, impl, qo, opts)
}

// acceptsValue reports whether the queue registered as impl can be built
// for values of the given size.
func acceptsValue(impl string, size int) bool {
	vt, ok := valueTypes[size]
	return ok && vt.accepts(impl)
}

// A valueType holds what depends on the Go type of one value size, the
// functions instantiated for it.
type valueType struct {
	typ      reflect.Type
	newTrial func(spec Spec, impl string, qo impls.Options, opts Options) (Trial, error)
	accepts  func(impl string) bool
}

// valueTypes maps each of ValueSizes to its type (TestValueLayout holds
// the two lists together).
var valueTypes = map[int]valueType{
	16:   valueTypeOf[Value16](),
	32:   valueTypeOf[Value32](),
	64:   valueTypeOf[Value64](),
	128:  valueTypeOf[Value128](),
	256:  valueTypeOf[Value256](),
	1024: valueTypeOf[Value1024](),
}

func valueTypeOf[V Value]() valueType {
	return valueType{typ: reflect.TypeFor[V](), newTrial: newTrial[V], accepts: impls.Accepts[V]}
}

func newTrial[V Value](spec Spec, impl string, qo impls.Options, opts Options) (Trial, error) {
	q, err := impls.NewWith[V](impl, qo)
	if err != nil {
		return nil, err
	}
	return NewDriver(spec, q, opts)
}
