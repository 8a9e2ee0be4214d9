package impls

// Linearizability: every registered queue, driven from several goroutines at
// once, must behave as if each operation took effect at one instant between
// its call and its return, in an order that a sequential FIFO queue (the
// model below) could have produced. Histories are recorded with a logical
// clock and checked with porcupine (Wing & Gong's search with Lowe's
// memoisation).
//
// A history is a few goroutines doing a few dozen random operations each,
// then one driver goroutine that closes the queue and drains it, so that a
// value the queue lost or duplicated shows up as a wrong receive. Small
// capacities (1 to 4) put most operations on the full and empty edges, and
// each history starts at a random position (a warm-up of sends and receives
// that is not recorded), so rings wrap and segments cross block boundaries
// inside the recorded part.
//
// The checker is only as good as its power to say no, so the tests also run
// it on hand-written histories and on a ring built here with its publication
// step in the wrong order, which must be rejected.

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

var linHistories = flag.Int("lin.n", 0, "histories per queue and policy in TestLinearizable (0: 400, or 40 with -short)")

// linKind is an operation of the Queue contract.
type linKind uint8

const (
	linSend linKind = iota
	linTrySend
	linRecv
	linTryRecv
	linRecvTimeout
	linClose
)

var linKindNames = [...]string{"Send", "TrySend", "Recv", "TryRecv", "RecvTimeout", "Close"}

func (k linKind) String() string { return linKindNames[k] }

// A linInput is an operation and, for sends, its value; for RecvTimeout, v
// is the timeout in microseconds. Values sent are distinct within a history
// and never 0, so a receive of the zero value or of a value twice is always
// wrong.
type linInput struct {
	kind linKind
	v    int
}

// A linOutput is what the operation returned: a value for receives, and an
// error (nil or one of the sentinels).
type linOutput struct {
	v   int
	err error
}

// A linState is the model's queue: the values in order and whether it is
// closed. States are never modified; Step builds new ones.
type linState struct {
	vals   []int
	closed bool
}

// linModel is a sequential FIFO queue with capacity capacity (-1: unbounded)
// whose full sends follow policy. A blocking Send or Recv is allowed to take
// effect only at an instant when it would not block, which is what a correct
// blocking call does: it returns once it could take effect.
func linModel(capacity int, policy Policy) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return linState{} },
		Step: func(st, in, out any) (bool, any) {
			return linStep(capacity, policy, st.(linState), in.(linInput), out.(linOutput))
		},
		Equal: func(a, b any) bool {
			x, y := a.(linState), b.(linState)
			return x.closed == y.closed && slices.Equal(x.vals, y.vals)
		},
		Hash: func(st any) uint64 {
			s := st.(linState)
			h := fnv.New64a()
			for _, v := range s.vals {
				fmt.Fprint(h, v, ",")
			}
			fmt.Fprint(h, s.closed)
			return h.Sum64()
		},
		DescribeOperation: func(in, out any) string { return linDescribe(in.(linInput), out.(linOutput)) },
		DescribeState:     func(st any) string { return fmt.Sprint(st.(linState)) },
	}
}

func linStep(capacity int, policy Policy, s linState, in linInput, out linOutput) (bool, linState) {
	switch in.kind {
	case linSend, linTrySend:
		if s.closed {
			return out.err == ErrClosed, s
		}
		if capacity < 0 || len(s.vals) < capacity {
			return out.err == nil, linState{vals: linAppend(s.vals, in.v)}
		}
		switch policy {
		case Block:
			// A blocking Send cannot take effect while the queue is full.
			return in.kind == linTrySend && out.err == ErrFull, s
		case Reject:
			return out.err == ErrFull, s
		case DropOldest:
			return out.err == nil, linState{vals: linAppend(s.vals[1:], in.v)}
		case DropNewest:
			return out.err == nil, s
		}
		panic("linStep: unknown policy")
	case linRecv, linTryRecv, linRecvTimeout:
		if len(s.vals) > 0 {
			return out.err == nil && out.v == s.vals[0], linState{vals: s.vals[1:], closed: s.closed}
		}
		switch {
		case s.closed:
			return out.err == ErrClosed, s
		case in.kind == linTryRecv:
			return out.err == ErrEmpty, s
		case in.kind == linRecvTimeout:
			return out.err == ErrTimeout, s
		default:
			return false, s // Recv cannot take effect on an empty open queue
		}
	case linClose:
		return true, linState{vals: s.vals, closed: true}
	}
	panic("linStep: unknown operation")
}

// linAppend returns vals with v appended, never sharing the result's
// backing array with another state.
func linAppend(vals []int, v int) []int {
	out := make([]int, len(vals)+1)
	copy(out, vals)
	out[len(vals)] = v
	return out
}

func linDescribe(in linInput, out linOutput) string {
	res := "ok"
	if out.err != nil {
		res = out.err.Error()
	}
	switch in.kind {
	case linSend, linTrySend:
		return fmt.Sprintf("%v(%d) -> %s", in.kind, in.v, res)
	case linRecv, linTryRecv, linRecvTimeout:
		if out.err == nil {
			res = fmt.Sprint(out.v)
		}
		if in.kind == linRecvTimeout {
			return fmt.Sprintf("RecvTimeout(%dµs) -> %s", in.v, res)
		}
		return fmt.Sprintf("%v() -> %s", in.kind, res)
	}
	return in.kind.String() + "()"
}

// A linRole says which operations a goroutine of a history may do, so that
// queues limited to one producer and one consumer get exactly that.
type linRole uint8

const (
	linBoth linRole = iota
	linSender
	linReceiver
)

// linRoles returns the roles of the goroutines of a history on a queue
// described by info: three that send and receive, or, where producers or
// consumers are limited, that many senders and receivers.
func linRoles(info Info) []linRole {
	if info.MaxProducers == 0 && info.MaxConsumers == 0 {
		return []linRole{linBoth, linBoth, linBoth}
	}
	np, nc := min(max(info.MaxProducers, 0), 2), min(max(info.MaxConsumers, 0), 2)
	if info.MaxProducers == 0 {
		np = 2
	}
	if info.MaxConsumers == 0 {
		nc = 2
	}
	var roles []linRole
	for range np {
		roles = append(roles, linSender)
	}
	for range nc {
		roles = append(roles, linReceiver)
	}
	return roles
}

// linPlan draws the operations of one goroutine: n of them, of the kinds its
// role allows, with the values it will send. With closeAt >= 0 the goroutine
// closes the queue at that point.
func linPlan(r *rand.Rand, client int, role linRole, n, closeAt int) []linInput {
	sends := []linKind{linSend, linTrySend, linTrySend}
	recvs := []linKind{linRecv, linTryRecv, linTryRecv, linRecvTimeout}
	var kinds []linKind
	switch role {
	case linSender:
		kinds = sends
	case linReceiver:
		kinds = recvs
	default:
		kinds = append(slices.Clone(sends), recvs...)
	}
	plan := make([]linInput, 0, n+1)
	for i := range n {
		if i == closeAt {
			plan = append(plan, linInput{kind: linClose})
		}
		in := linInput{kind: kinds[r.IntN(len(kinds))]}
		switch in.kind {
		case linSend, linTrySend:
			in.v = client*1000 + i + 1
		case linRecvTimeout:
			in.v = 20 * r.IntN(2) // the timeout in µs: 0 or 20
		}
		plan = append(plan, in)
	}
	return plan
}

// linApply runs one operation on q.
func linApply(q Queue[int], in linInput) linOutput {
	var out linOutput
	switch in.kind {
	case linSend:
		out.err = q.Send(in.v)
	case linTrySend:
		out.err = q.TrySend(in.v)
	case linRecv:
		out.v, out.err = q.Recv()
	case linTryRecv:
		out.v, out.err = q.TryRecv()
	case linRecvTimeout:
		out.v, out.err = q.RecvTimeout(time.Duration(in.v) * time.Microsecond)
	case linClose:
		q.Close()
	}
	return out
}

// A linRecorder stamps operations with a logical clock. The clock is an
// atomic counter: an operation whose return stamp is below another's call
// stamp really finished before the other began, and the atomic add orders
// the operation's memory effects before the stamp.
type linRecorder struct {
	clock atomic.Int64
	ops   [][]porcupine.Operation // per client; each appended by its own goroutine
}

func (r *linRecorder) do(q Queue[int], client int, in linInput) linOutput {
	call := r.clock.Add(1)
	out := linApply(q, in)
	ret := r.clock.Add(1)
	r.ops[client] = append(r.ops[client], porcupine.Operation{
		ClientId: client, Input: in, Call: call, Output: out, Return: ret,
	})
	return out
}

func (r *linRecorder) history() []porcupine.Operation {
	var all []porcupine.Operation
	for _, ops := range r.ops {
		all = append(all, ops...)
	}
	slices.SortFunc(all, func(a, b porcupine.Operation) int { return int(a.Call - b.Call) })
	return all
}

// linRecord runs one history on q and returns it. The goroutines given by
// roles run their plans at once; when every one of them has finished or is
// stuck in a blocking call (a Send on a full queue, a Recv on an empty one)
// the driver closes the queue, which must set them free. Finally the driver
// closes the queue and receives with TryRecv until it reports an error
// (which must be ErrClosed), so every value the queue still holds is
// accounted for.
func linRecord(q Queue[int], r *rand.Rand, roles []linRole, opsPer int) []porcupine.Operation {
	n := len(roles)
	driver := n
	rec := &linRecorder{ops: make([][]porcupine.Operation, n+1)}
	plans := make([][]linInput, n)
	closer := -1
	if r.IntN(3) == 0 {
		closer = r.IntN(n)
	}
	for c, role := range roles {
		closeAt := -1
		if c == closer {
			closeAt = r.IntN(opsPer)
		}
		plans[c] = linPlan(r, c, role, opsPer, closeAt)
	}

	var finished, blocked, progress atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c := range n {
		wg.Go(func() {
			defer finished.Add(1)
			<-start
			for _, in := range plans[c] {
				blocking := in.kind == linSend || in.kind == linRecv
				if blocking {
					blocked.Add(1)
				}
				rec.do(q, c, in)
				if blocking {
					blocked.Add(-1)
				}
				progress.Add(1)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	close(start)

	closed := false
	last := int32(-1)
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-tick.C:
			p := progress.Load()
			stuck := finished.Load()+blocked.Load() == int32(n)
			if !closed && stuck && p == last {
				rec.do(q, driver, linInput{kind: linClose})
				closed = true
			}
			last = p
		}
	}

	rec.do(q, driver, linInput{kind: linClose})
	for range n*opsPer + 1 { // more would be values never sent
		if rec.do(q, driver, linInput{kind: linTryRecv}).err != nil {
			break
		}
	}
	return rec.history()
}

// linWarmUp moves q to a random position by sending and receiving up to 40
// values (not recorded). It leaves q empty.
func linWarmUp(q Queue[int], r *rand.Rand) {
	for range r.IntN(41) {
		if err := q.Send(-1); err != nil {
			panic(fmt.Sprintf("warm-up send: %v", err))
		}
		if _, err := q.Recv(); err != nil {
			panic(fmt.Sprintf("warm-up receive: %v", err))
		}
	}
}

// linCheck checks history against model and, when it is not linearizable,
// returns a description of it.
func linCheck(model porcupine.Model, history []porcupine.Operation) (porcupine.CheckResult, string) {
	res := porcupine.CheckOperationsTimeout(model, history, 30*time.Second)
	if res == porcupine.Ok {
		return res, ""
	}
	var b strings.Builder
	for _, op := range history {
		fmt.Fprintf(&b, "\n  [%4d,%4d] g%d %s", op.Call, op.Return, op.ClientId,
			linDescribe(op.Input.(linInput), op.Output.(linOutput)))
	}
	return res, b.String()
}

// A linConfig is one queue under test: a registered queue and, for a lossy
// one, the policy it is built with.
type linConfig struct {
	name   string
	info   Info
	policy Policy
}

// linConfigs lists every registered queue, a lossy one once per policy.
func linConfigs() []linConfig {
	var out []linConfig
	for _, info := range Infos() {
		if !info.Lossy {
			out = append(out, linConfig{name: info.Name, info: info})
			continue
		}
		for _, p := range []Policy{Block, Reject, DropOldest, DropNewest} {
			out = append(out, linConfig{name: info.Name + "/" + p.String(), info: info, policy: p})
		}
	}
	return out
}

func TestLinearizable(t *testing.T) {
	histories := *linHistories
	if histories <= 0 {
		histories = 400
		if testing.Short() {
			histories = 40
		}
	}
	const opsPer = 25
	for _, cfg := range linConfigs() {
		t.Run(cfg.name, func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			r := rand.New(rand.NewPCG(seed, 7))
			roles := linRoles(cfg.info)
			start := time.Now()
			var checkTime time.Duration
			ops := 0
			for h := range histories {
				o := Options{Policy: cfg.policy}
				if cfg.info.Bounded {
					o.Capacity = max(cfg.info.MinCapacity, 1) + r.IntN(4)
				}
				q, err := NewWith[int](cfg.info.Name, o)
				if err != nil {
					t.Skipf("cannot build it for int: %v", err)
				}
				linWarmUp(q, r)
				history := linRecord(q, r, roles, opsPer)
				ops += len(history)
				c0 := time.Now()
				res, desc := linCheck(linModel(q.Cap(), cfg.policy), history)
				checkTime += time.Since(c0)
				switch res {
				case porcupine.Illegal:
					t.Fatalf("history %d (seed %d, capacity %d) is not linearizable:%s", h, seed, q.Cap(), desc)
				case porcupine.Unknown:
					t.Fatalf("history %d (seed %d): the checker timed out:%s", h, seed, desc)
				}
			}
			t.Logf("%d histories, %d operations, linearizable; %v in all, %v checking",
				histories, ops, time.Since(start).Round(time.Millisecond), checkTime.Round(time.Millisecond))
		})
	}
}

// linOp builds a hand-written operation for the model tests.
func linOp(client int, call, ret int64, kind linKind, v int, outV int, err error) porcupine.Operation {
	return porcupine.Operation{ClientId: client, Input: linInput{kind: kind, v: v}, Call: call,
		Output: linOutput{v: outV, err: err}, Return: ret}
}

// TestLinearizabilityModel checks the model and the checker on histories
// whose verdict is known, so that a model that accepts everything cannot
// pass for a proof.
func TestLinearizabilityModel(t *testing.T) {
	type op = porcupine.Operation
	seq := func(kinds ...op) []op { // one client, one after another
		for i := range kinds {
			kinds[i].Call, kinds[i].Return = int64(2*i), int64(2*i+1)
		}
		return kinds
	}
	send := func(v int, err error) op { return linOp(0, 0, 0, linSend, v, 0, err) }
	trySend := func(v int, err error) op { return linOp(0, 0, 0, linTrySend, v, 0, err) }
	recv := func(v int, err error) op { return linOp(0, 0, 0, linRecv, 0, v, err) }
	tryRecv := func(v int, err error) op { return linOp(0, 0, 0, linTryRecv, 0, v, err) }
	recvTimeout := func(v int, err error) op { return linOp(0, 0, 0, linRecvTimeout, 0, v, err) }
	closeOp := linOp(0, 0, 0, linClose, 0, 0, nil)

	tests := []struct {
		name     string
		capacity int
		policy   Policy
		history  []op
		want     porcupine.CheckResult
	}{
		{"fifo", -1, Block, seq(send(1, nil), send(2, nil), recv(1, nil), tryRecv(2, nil), tryRecv(0, ErrEmpty)), porcupine.Ok},
		{"out of order", -1, Block, seq(send(1, nil), send(2, nil), recv(2, nil)), porcupine.Illegal},
		{"value never sent", -1, Block, seq(send(1, nil), tryRecv(0, nil)), porcupine.Illegal},
		{"received twice", -1, Block, seq(send(1, nil), recv(1, nil), send(2, nil), recv(1, nil)), porcupine.Illegal},
		{"empty with a value queued", -1, Block, seq(send(1, nil), tryRecv(0, ErrEmpty)), porcupine.Illegal},
		{"timeout with a value queued", -1, Block, seq(send(1, nil), recvTimeout(0, ErrTimeout)), porcupine.Illegal},
		{"concurrent sends in either order", -1, Block, []op{
			linOp(0, 1, 4, linSend, 1, 0, nil),
			linOp(1, 2, 3, linSend, 2, 0, nil),
			linOp(0, 5, 6, linRecv, 0, 2, nil),
			linOp(0, 7, 8, linRecv, 0, 1, nil),
		}, porcupine.Ok},
		{"empty while a send is in flight", -1, Block, []op{
			linOp(0, 1, 4, linSend, 1, 0, nil),
			linOp(1, 2, 3, linTryRecv, 0, 0, ErrEmpty),
		}, porcupine.Ok},
		{"unbounded is never full", -1, Block, seq(trySend(1, nil), trySend(2, ErrFull)), porcupine.Illegal},
		{"full", 1, Block, seq(trySend(1, nil), trySend(2, ErrFull), recv(1, nil), trySend(3, nil)), porcupine.Ok},
		{"full too early", 2, Block, seq(trySend(1, nil), trySend(2, ErrFull)), porcupine.Illegal},
		{"blocking send completes while full", 1, Block, seq(send(1, nil), send(2, nil)), porcupine.Illegal},
		{"blocking send completes once there is room", 1, Block, []op{
			linOp(0, 1, 2, linSend, 1, 0, nil),
			linOp(0, 3, 8, linSend, 2, 0, nil),
			linOp(1, 4, 5, linRecv, 0, 1, nil),
			linOp(1, 9, 10, linRecv, 0, 2, nil),
		}, porcupine.Ok},
		{"blocked send woken by close", 1, Block, []op{
			linOp(0, 1, 2, linSend, 1, 0, nil),
			linOp(0, 3, 8, linSend, 2, 0, ErrClosed),
			linOp(1, 4, 5, linClose, 0, 0, nil),
			linOp(1, 6, 7, linRecv, 0, 1, nil),
			linOp(1, 9, 10, linTryRecv, 0, 0, ErrClosed),
		}, porcupine.Ok},
		{"blocking receive completes on empty", -1, Block, []op{
			linOp(0, 1, 4, linRecv, 0, 1, nil),
			linOp(1, 5, 6, linSend, 1, 0, nil),
		}, porcupine.Illegal},
		{"closed drains then reports closed", -1, Block, seq(send(1, nil), closeOp, send(2, ErrClosed), recv(1, nil),
			tryRecv(0, ErrClosed), recvTimeout(0, ErrClosed), recv(0, ErrClosed)), porcupine.Ok},
		{"send succeeds after close", -1, Block, seq(closeOp, send(1, nil)), porcupine.Illegal},
		{"empty after close", -1, Block, seq(closeOp, tryRecv(0, ErrEmpty)), porcupine.Illegal},
		{"timeout after close", -1, Block, seq(closeOp, recvTimeout(0, ErrTimeout)), porcupine.Illegal},
		{"closed before drained", -1, Block, seq(send(1, nil), closeOp, tryRecv(0, ErrClosed)), porcupine.Illegal},
		{"reject", 2, Reject, seq(send(1, nil), send(2, nil), send(3, ErrFull), trySend(4, ErrFull), recv(1, nil), send(5, nil)), porcupine.Ok},
		{"reject accepts when full", 1, Reject, seq(send(1, nil), send(2, nil)), porcupine.Illegal},
		{"drop-oldest", 2, DropOldest, seq(send(1, nil), send(2, nil), send(3, nil), trySend(4, nil), recv(3, nil), recv(4, nil)), porcupine.Ok},
		{"drop-oldest keeps the oldest", 2, DropOldest, seq(send(1, nil), send(2, nil), send(3, nil), recv(1, nil)), porcupine.Illegal},
		{"drop-newest", 2, DropNewest, seq(send(1, nil), send(2, nil), send(3, nil), trySend(4, nil), recv(1, nil), recv(2, nil), tryRecv(0, ErrEmpty)), porcupine.Ok},
		{"drop-newest keeps the newest", 2, DropNewest, seq(send(1, nil), send(2, nil), send(3, nil), recv(1, nil), recv(2, nil), recv(3, nil)), porcupine.Illegal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := porcupine.CheckOperationsTimeout(linModel(tc.capacity, tc.policy), tc.history, 10*time.Second)
			if got != tc.want {
				t.Errorf("check = %v, want %v", got, tc.want)
			}
		})
	}
}

// linRing is Vyukov's bounded MPMC queue, cut down to what the tests need,
// with a switch that moves its publication step: with publishEarly, a sender
// marks its slot full before it writes the value (and yields in between, as
// a preempted sender would), so a receiver can take the slot's old value.
// The values are atomics so that the race detector does not report the
// early publication itself; only the checker can catch it.
type linRing struct {
	publishEarly bool
	head, tail   atomic.Uint64 // tail | linRingClosed once closed
	slots        []linRingSlot
}

type linRingSlot struct {
	seq atomic.Uint64 // position it is free for, or position+1 once written
	val atomic.Int64
}

const linRingClosed = 1 << 63

var _ Queue[int] = (*linRing)(nil)

// newLinRing returns a linRing of the given capacity, which must be at least
// 2: with one slot, "free for position p+1" and "full for position p" would
// be the same sequence number.
func newLinRing(capacity int, publishEarly bool) *linRing {
	q := &linRing{publishEarly: publishEarly, slots: make([]linRingSlot, capacity)}
	for i := range q.slots {
		q.slots[i].seq.Store(uint64(i))
	}
	return q
}

func (q *linRing) TrySend(v int) error {
	for {
		tail := q.tail.Load()
		if tail&linRingClosed != 0 {
			return ErrClosed
		}
		s := &q.slots[tail%uint64(len(q.slots))]
		switch seq := s.seq.Load(); {
		case seq == tail:
			if !q.tail.CompareAndSwap(tail, tail+1) {
				continue
			}
			if q.publishEarly {
				s.seq.Store(tail + 1)
				runtime.Gosched()
				s.val.Store(int64(v))
			} else {
				s.val.Store(int64(v))
				s.seq.Store(tail + 1)
			}
			return nil
		case seq < tail && q.head.Load()+uint64(len(q.slots)) == tail:
			return ErrFull
		default:
			runtime.Gosched()
		}
	}
}

func (q *linRing) TryRecv() (int, error) {
	for {
		head := q.head.Load()
		s := &q.slots[head%uint64(len(q.slots))]
		switch seq := s.seq.Load(); {
		case seq == head+1:
			if !q.head.CompareAndSwap(head, head+1) {
				continue
			}
			v := int(s.val.Load())
			s.seq.Store(head + uint64(len(q.slots)))
			return v, nil
		case seq == head:
			if tail := q.tail.Load(); tail&^linRingClosed == head {
				if tail&linRingClosed != 0 {
					return 0, ErrClosed
				}
				return 0, ErrEmpty
			}
			runtime.Gosched() // a sender has claimed the slot and is writing it
		default:
			runtime.Gosched() // head is stale
		}
	}
}

func (q *linRing) Send(v int) error {
	for {
		if err := q.TrySend(v); err != ErrFull {
			return err
		}
		runtime.Gosched()
	}
}

func (q *linRing) Recv() (int, error) {
	for {
		if v, err := q.TryRecv(); err != ErrEmpty {
			return v, err
		}
		runtime.Gosched()
	}
}

func (q *linRing) RecvTimeout(d time.Duration) (int, error) {
	deadline := time.Now().Add(d)
	for {
		if v, err := q.TryRecv(); err != ErrEmpty {
			return v, err
		}
		if !time.Now().Before(deadline) {
			return 0, ErrTimeout
		}
		runtime.Gosched()
	}
}

func (q *linRing) Close()   { q.tail.Or(linRingClosed) }
func (q *linRing) Len() int { return int(q.tail.Load()&^linRingClosed - q.head.Load()) }
func (q *linRing) Cap() int { return len(q.slots) }

// TestLinearizabilityCatchesEarlyPublish runs the same histories on linRing
// with its publication step in the right order, which must pass, and in the
// wrong order, of which the checker must reject at least one.
func TestLinearizabilityCatchesEarlyPublish(t *testing.T) {
	const histories = 100
	roles := []linRole{linSender, linReceiver, linBoth}
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 11))
	for h := range histories {
		q := newLinRing(2+r.IntN(3), false)
		linWarmUp(q, r)
		if res, desc := linCheck(linModel(q.Cap(), Block), linRecord(q, r, roles, 25)); res != porcupine.Ok {
			t.Fatalf("the correct ring: history %d (seed %d) is %v:%s", h, seed, res, desc)
		}
	}
	caught := 0
	for range histories {
		q := newLinRing(2+r.IntN(3), true)
		linWarmUp(q, r)
		if res, _ := linCheck(linModel(q.Cap(), Block), linRecord(q, r, roles, 25)); res == porcupine.Illegal {
			caught++
		}
	}
	t.Logf("the checker rejected %d of %d histories of the early-publishing ring", caught, histories)
	if caught == 0 {
		t.Fatalf("the checker accepted all %d histories of a ring that publishes slots before writing them (seed %d)", histories, seed)
	}
}
