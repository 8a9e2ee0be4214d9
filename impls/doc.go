// Package impls holds the queues that chanbench measures, the Queue contract
// they share, and the registry that finds them by name.
//
// Every queue has the same semantics (see Queue): FIFO, a blocking Send on a
// full bounded queue, Close that refuses further sends without ever
// panicking, and receivers that drain what was queued before they see
// ErrClosed. Blocking operations spin briefly and then park, so an idle
// queue costs no CPU.
//
// The package is for measuring queues side by side, not for being the
// fastest queue library: each implementation follows its published design
// closely, so that chanbench's numbers say something about that design. It
// will not grow the queues features beyond the contract (select, send
// timeouts, batching), nor tune one queue in a way that its design would
// not.
//
// The implementations, one file each:
//
//  1. Chan (chan.go): Go's built-in channel behind a gate that makes send
//     after close an error instead of a panic, with Senders that send on it
//     directly; capacity 0 is a rendezvous.
//  2. List (list.go): unbounded; a mutex and a singly linked list, one
//     node allocated per send.
//  3. Ring (ring.go): bounded lock-free MPMC ring with sequence-stamped
//     slots (Vyukov; crossbeam's array flavor).
//  4. Bounded (bounded.go): a mutex and wait queues over a ring buffer,
//     with a Policy for full sends: block, reject, drop oldest or drop newest.
//  5. SPSC (spsc.go): bounded single-producer single-consumer lock-free
//     ring whose sides meet only in stamped slots (FastForward): the speed limit.
//  6. Segment (segment.go): unbounded lock-free linked blocks of 31 slots,
//     each freed as the consumer passes it (crossbeam's list flavor).
//  7. Pump (pump.go): unbounded "infinite channel": a goroutine moving
//     values between two channels through a growing slice.
//
// park.go holds what they share: spinning then parking (await, waitq) and
// the gate in front of the channel-based queues.
package impls
