package workloads

import (
	"fmt"
	"slices"
	"strings"
	"unsafe"
)

// The values producers send through the queue under test. A workload's
// value_bytes picks one; each is a plain value type, so a queue that stores
// values inline holds it without an allocation, and the queue is built for
// that type (impls.Queue[Value64]), as a program sending such a struct
// would build it. The payload, when the workload asks for one, is a separate
// heap allocation like a downloaded page, carried by pointer.
//
// Every value starts with the same fields at the same offsets: the identity
// of the message, then its latency stamp, then (from 32 bytes on) the
// payload pointer, then padding. The driver is generic over the value type
// and reads and writes those fields through that shared start (see head),
// because Go's generics cannot name a field of a type parameter, and
// methods called through a type parameter's dictionary would cost more
// per message than the fastest queues do.
type (
	// Value16 is the smallest value: the identity and the stamp. It has no
	// room for a payload pointer.
	Value16 struct {
		// ID is the producer's index times 2^48 plus the sequence number,
		// counting the producer's messages from 0 without gaps.
		ID uint64
		// SentNS is when Send was called, in nanoseconds on the trial's
		// clock, or 0 when the message is not stamped for latency.
		SentNS int64
	}
	// Value32 is Value16 with a payload pointer and padding.
	Value32 struct {
		ID      uint64
		SentNS  int64
		Payload *byte // the first byte of the payload; nil without one
		_       [32 - 24]byte
	}
	Value64 struct {
		ID      uint64
		SentNS  int64
		Payload *byte
		_       [64 - 24]byte
	}
	Value128 struct {
		ID      uint64
		SentNS  int64
		Payload *byte
		_       [128 - 24]byte
	}
	Value256 struct {
		ID      uint64
		SentNS  int64
		Payload *byte
		_       [256 - 24]byte
	}
	Value1024 struct {
		ID      uint64
		SentNS  int64
		Payload *byte
		_       [1024 - 24]byte
	}
)

// A Value is one of the value types, the type parameter of the driver.
type Value interface {
	Value16 | Value32 | Value64 | Value128 | Value256 | Value1024
}

// ValueSizes lists the sizes value_bytes accepts, smallest first.
var ValueSizes = []int{16, 32, 64, 128, 256, 1024}

// CheckValueBytes reports whether n is one of ValueSizes, and if not, what
// is.
func CheckValueBytes(n int) error {
	if slices.Contains(ValueSizes, n) {
		return nil
	}
	return fmt.Errorf("%d, want one of %s", n, valueSizesText())
}

// valueSizesText lists ValueSizes as "16, 32, 64, 128, 256, 1024".
func valueSizesText() string {
	return strings.ReplaceAll(strings.Trim(fmt.Sprint(ValueSizes), "[]"), " ", ", ")
}

// payloadValueBytes is the smallest value that carries a payload pointer.
const payloadValueBytes = 32

// producerShift places the producer's index in a value's ID: 2^16
// producers, and 2^48 messages each (32 days at 100M a second).
const (
	producerShift = 48
	seqMask       = 1<<producerShift - 1
	// MaxProducers is the most producers a workload may have.
	MaxProducers = 1 << (64 - producerShift)
)

// makeID is the ID of producer p's message seq.
func makeID(p int, seq int64) uint64 { return uint64(p)<<producerShift | uint64(seq) }

// splitID is the inverse of makeID.
func splitID(id uint64) (p int, seq int64) {
	return int(id >> producerShift), int64(id & seqMask)
}

// head is the start that every Value shares (TestValueLayout holds them to
// it).
type head struct {
	ID     uint64
	SentNS int64
}

// headOf gives access to the shared start of v.
func headOf[V Value](v *V) *head { return (*head)(unsafe.Pointer(v)) }

// setPayload stores p as v's payload. Value16 has none; the spec's
// validation keeps payloads away from it, and setPayload ignores p there.
func setPayload[V Value](v *V, p *byte) {
	if unsafe.Sizeof(*v) >= payloadValueBytes {
		*(**byte)(unsafe.Add(unsafe.Pointer(v), unsafe.Sizeof(head{}))) = p
	}
}
