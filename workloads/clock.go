package workloads

import (
	"time"
	_ "unsafe" // for go:linkname
)

// nanotime is the runtime's monotonic clock: one vDSO call, about half the
// cost of time.Now, which also reads the wall clock. The harness stamps
// messages with it on the hot path.
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// busyUntil spins until the monotonic clock reaches deadline. Sleeping would
// overshoot by tens of microseconds; service times are often shorter.
func busyUntil(deadline int64) {
	for nanotime() < deadline {
	}
}

// waitUntil waits for the monotonic clock to reach deadline: sleeping while
// it is far away, spinning for the last stretch so the wake-up is accurate to
// a microsecond or so.
func waitUntil(deadline int64) {
	const spinWindow = int64(200 * time.Microsecond)
	for {
		left := deadline - nanotime()
		if left <= 0 {
			return
		}
		if left > spinWindow {
			time.Sleep(time.Duration(left - spinWindow))
			continue
		}
		busyUntil(deadline)
		return
	}
}
