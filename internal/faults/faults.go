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

// Register adds the faulty queues to the registry.
func Register() {
	reg := func(name, summary string, wrap func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message]) {
		err := impls.Register(impls.Info{Name: name, Summary: summary, Bounded: true},
			func(o impls.Options) impls.Queue[workloads.Message] {
				return wrap(impls.NewChan[workloads.Message](o.Capacity))
			})
		if err != nil {
			panic(err)
		}
	}
	reg("fault-lose", "loses one message", func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message] {
		return &lose{Queue: q}
	})
	reg("fault-dup", "delivers one message twice", func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message] {
		return &dup{Queue: q}
	})
	reg("fault-hang", "stops delivering and blocks receivers forever", func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message] {
		return &hang{Queue: q}
	})
	reg("fault-panic", "panics in Recv", func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message] {
		return &panicky{Queue: q}
	})
	reg("fault-grow", "leaks 64 KiB per send", func(q impls.Queue[workloads.Message]) impls.Queue[workloads.Message] {
		return &grow{Queue: q}
	})
}

type lose struct {
	impls.Queue[workloads.Message]
	n atomic.Int64
}

func (q *lose) Send(m workloads.Message) error {
	if q.n.Add(1) == After {
		return nil // reports success, queues nothing
	}
	return q.Queue.Send(m)
}

func (q *lose) TrySend(m workloads.Message) error { return q.Send(m) }

type dup struct {
	impls.Queue[workloads.Message]
	n atomic.Int64
}

func (q *dup) Send(m workloads.Message) error {
	if q.n.Add(1) == After {
		q.Queue.Send(m)
	}
	return q.Queue.Send(m)
}

func (q *dup) TrySend(m workloads.Message) error { return q.Send(m) }

type hang struct {
	impls.Queue[workloads.Message]
	n atomic.Int64
}

func (q *hang) Recv() (workloads.Message, error) {
	if q.n.Add(1) >= After {
		select {} // never returns
	}
	return q.Queue.Recv()
}

func (q *hang) RecvTimeout(d time.Duration) (workloads.Message, error) { return q.Recv() }

type panicky struct {
	impls.Queue[workloads.Message]
	n atomic.Int64
}

func (q *panicky) Recv() (workloads.Message, error) {
	if q.n.Add(1) == After {
		panic("fault-panic: deliberate panic in Recv")
	}
	return q.Queue.Recv()
}

type grow struct {
	impls.Queue[workloads.Message]
	mu   sync.Mutex
	leak [][]byte
}

func (q *grow) Send(m workloads.Message) error {
	b := make([]byte, 64<<10)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1 // resident, not just reserved
	}
	q.mu.Lock()
	q.leak = append(q.leak, b)
	q.mu.Unlock()
	return q.Queue.Send(m)
}

func (q *grow) TrySend(m workloads.Message) error { return q.Send(m) }
