// Package faults holds deliberately broken queues for testing the harness:
// one loses a message, one duplicates one, one hangs, one panics, one leaks
// memory without bound. Each wraps a correct bounded queue (chan) and breaks it after a
// number of sends. They are registered only in binaries built with the
// chanbench_faults tag, never in a normal build.
package faults

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/workloads"
)

// After is how many sends a faulty queue serves correctly before it breaks.
const After = 1000

// Names lists the faulty queues and the outcome the harness must report.
var Names = map[string]string{
	"fault-lose":  "invalid",
	"fault-dup":   "invalid",
	"fault-hang":  "timeout",
	"fault-panic": "crash",
	"fault-grow":  "oom",
}

// Register adds the faulty queues to the registry, for every value type.
func Register() {
	register[workloads.Value16]()
	register[workloads.Value32]()
	register[workloads.Value64]()
	register[workloads.Value128]()
	register[workloads.Value256]()
	register[workloads.Value1024]()
}

func register[V workloads.Value]() {
	reg := func(name, summary string, wrap func(q impls.Queue[V]) impls.Queue[V]) {
		err := impls.Register(impls.Info{Name: name, Summary: summary, Bounded: true},
			func(o impls.Options) impls.Queue[V] {
				return wrap(impls.NewChan[V](o.Capacity))
			})
		if err != nil {
			panic(err)
		}
	}
	reg("fault-lose", "loses one message", func(q impls.Queue[V]) impls.Queue[V] {
		return &lose[V]{Queue: q}
	})
	reg("fault-dup", "delivers one message twice", func(q impls.Queue[V]) impls.Queue[V] {
		return &dup[V]{Queue: q}
	})
	reg("fault-hang", "stops delivering and blocks receivers forever", func(q impls.Queue[V]) impls.Queue[V] {
		return &hang[V]{Queue: q}
	})
	reg("fault-panic", "panics in Recv", func(q impls.Queue[V]) impls.Queue[V] {
		return &panicky[V]{Queue: q}
	})
	reg("fault-grow", "leaks 64 KiB per send", func(q impls.Queue[V]) impls.Queue[V] {
		return &grow[V]{Queue: q}
	})
}

// Each faulty queue embeds the Queue interface of a correct one, and so
// hands out no Senders of its own (it is no impls.Splitter): every send
// goes through the methods that break.

type lose[V any] struct {
	impls.Queue[V]
	n atomic.Int64
}

func (q *lose[V]) Send(m V) error {
	if q.n.Add(1) == After {
		return nil // reports success, queues nothing
	}
	return q.Queue.Send(m)
}

func (q *lose[V]) TrySend(m V) error { return q.Send(m) }

type dup[V any] struct {
	impls.Queue[V]
	n atomic.Int64
}

func (q *dup[V]) Send(m V) error {
	if q.n.Add(1) == After {
		q.Queue.Send(m)
	}
	return q.Queue.Send(m)
}

func (q *dup[V]) TrySend(m V) error { return q.Send(m) }

type hang[V any] struct {
	impls.Queue[V]
	n atomic.Int64
}

func (q *hang[V]) Recv() (V, error) {
	if q.n.Add(1) >= After {
		select {} // never returns
	}
	return q.Queue.Recv()
}

func (q *hang[V]) RecvTimeout(d time.Duration) (V, error) { return q.Recv() }

type panicky[V any] struct {
	impls.Queue[V]
	n atomic.Int64
}

func (q *panicky[V]) Recv() (V, error) {
	if q.n.Add(1) == After {
		panic("fault-panic: deliberate panic in Recv")
	}
	return q.Queue.Recv()
}

type grow[V any] struct {
	impls.Queue[V]
	mu   sync.Mutex
	leak [][]byte
}

func (q *grow[V]) Send(m V) error {
	b := make([]byte, 64<<10)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1 // resident, not just reserved
	}
	q.mu.Lock()
	q.leak = append(q.leak, b)
	q.mu.Unlock()
	return q.Queue.Send(m)
}

func (q *grow[V]) TrySend(m V) error { return q.Send(m) }
