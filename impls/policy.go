package impls

import "fmt"

// A Policy says what a full Bounded queue does with a send.
type Policy int

const (
	// Block makes Send wait for room: backpressure. TrySend returns ErrFull.
	Block Policy = iota
	// Reject makes Send and TrySend return ErrFull at once; the value is
	// counted as dropped.
	Reject
	// DropOldest evicts the oldest queued value to make room; the send
	// succeeds and the evicted value is counted as dropped.
	DropOldest
	// DropNewest discards the value being sent; the send reports success
	// (the caller does not learn of it) and the value is counted as dropped.
	DropNewest
)

var policyNames = [...]string{Block: "block", Reject: "reject", DropOldest: "drop-oldest", DropNewest: "drop-newest"}

func (p Policy) valid() bool { return p >= Block && p <= DropNewest }

// String returns the policy's name as workload files spell it.
func (p Policy) String() string {
	if !p.valid() {
		return fmt.Sprintf("Policy(%d)", int(p))
	}
	return policyNames[p]
}

// ParsePolicy reads a policy name: block, reject, drop-oldest or drop-newest.
func ParsePolicy(s string) (Policy, error) {
	for p, name := range policyNames {
		if s == name {
			return Policy(p), nil
		}
	}
	return 0, fmt.Errorf("unknown policy %q (want block, reject, drop-oldest or drop-newest)", s)
}
