package impls

import (
	"fmt"
	"testing"
)

// TestSPSCLookAhead drives the consumer's look-ahead by hand, at capacities
// below, at and above spscAhead (and not powers of two), from every start
// index, with the ring filled to every level: each receive must give the
// next value, stop with ErrEmpty exactly at tail, keep ready in
// [head, tail], and skip the stamp load only when the value was there. After
// Close with ready > head, the rest must drain before ErrClosed.
func TestSPSCLookAhead(t *testing.T) {
	for _, c := range []int{1, 2, 3, 5, 127, 128, 129, 200} {
		a := min(c, spscAhead)
		for _, start := range []int{0, 1, c / 2, c - 1} {
			for _, fill := range []int{1, 2, a - 1, a, a + 1, c} {
				if fill < 1 || fill > c || start >= c {
					continue
				}
				for _, closeAt := range []int{-1, 0, 1} {
					name := fmt.Sprintf("cap=%d/start=%d/fill=%d/close=%d", c, start, fill, closeAt)
					q := NewSPSC[int](c)
					// Move head and tail to start (wraps headIdx later).
					for i := 0; i < start; i++ {
						q.TrySend(-1)
						q.TryRecv()
					}
					for i := 0; i < fill; i++ {
						if err := q.TrySend(i); err != nil {
							t.Fatalf("%s: send %d: %v", name, i, err)
						}
					}
					for i := 0; i < fill; i++ {
						if i == closeAt {
							q.Close()
						}
						v, err := q.TryRecv()
						if err != nil || v != i {
							t.Fatalf("%s: recv %d = %d, %v", name, i, v, err)
						}
						if q.ready < q.head || q.ready > q.tail {
							t.Fatalf("%s: after recv %d, ready %d outside [head %d, tail %d]", name, i, q.ready, q.head, q.tail)
						}
						if i == 0 && fill >= a && q.ready != uint64(start+a) {
							t.Fatalf("%s: ready %d, want the look-ahead to reach %d", name, q.ready, start+a)
						}
					}
					_, err := q.TryRecv()
					want := ErrEmpty
					if closeAt >= 0 && closeAt < fill {
						want = ErrClosed
					}
					if err != want {
						t.Fatalf("%s: recv past tail: %v, want %v", name, err, want)
					}
					if want == ErrEmpty && q.Len() != 0 {
						t.Fatalf("%s: Len %d after draining", name, q.Len())
					}
				}
			}
		}
	}
}
