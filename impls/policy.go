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

// MarshalText writes the policy's name, so that workload files and
// results carry "drop-oldest", not a number.
func (p Policy) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, fmt.Errorf("unknown policy %d", int(p))
	}
	return []byte(policyNames[p]), nil
}

// UnmarshalText reads a policy name as ParsePolicy does; an empty name is
// Block, the default. Its error names the key, policy, as a workload file
// and results.json spell it.
func (p *Policy) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*p = Block
		return nil
	}
	q, err := ParsePolicy(string(text))
	if err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	*p = q
	return nil
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

// A PolicyBy says who carries out a workload's policy when a queue is full.
type PolicyBy string

const (
	// ByQueue: the queue carries out the policy itself — a bounded queue's
	// Send blocks, and a Lossy queue rejects or drops as Options.Policy
	// says and counts what it discards.
	ByQueue PolicyBy = "queue"
	// ByProducer: the queue only blocks, so the producer carries out a
	// non-blocking policy around TrySend, as a Go program does around a
	// channel with select and default: Reject and DropNewest discard the
	// value TrySend refused; DropOldest takes the oldest value out with
	// TryRecv and tries again. The producer counts what it discards.
	ByProducer PolicyBy = "producer"
	// ByNobody: the queue is unbounded and never full, so no policy acts.
	ByNobody PolicyBy = "none"
)

// PolicyBy says who carries out policy p on this queue when it is full.
func (i Info) PolicyBy(p Policy) PolicyBy {
	switch {
	case !i.Bounded:
		return ByNobody
	case p == Block || i.Lossy:
		return ByQueue
	}
	return ByProducer
}

// SupportsPolicy reports whether policy p means something for this queue
// with the given numbers of producers and consumers and capacity, and why
// not. A producer that drops the oldest value receives it, so it counts as
// a consumer too; at capacity 0 nothing is ever queued to drop.
func (i Info) SupportsPolicy(p Policy, producers, consumers, capacity int) error {
	if i.PolicyBy(p) != ByProducer || p != DropOldest {
		return nil
	}
	if capacity == 0 {
		return fmt.Errorf("%s at capacity 0 queues nothing, so it has no oldest value to drop", i.Name)
	}
	if i.MaxConsumers > 0 && producers+consumers > i.MaxConsumers {
		return fmt.Errorf("%s cannot drop its oldest value: the producer would have to receive, and %s allows %s",
			i.Name, i.Name, plural(i.MaxConsumers, "receiver"))
	}
	return nil
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
