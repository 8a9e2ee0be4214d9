//go:build unix

package isolate

import (
	"syscall"
	"time"
)

// sleep pauses the calling goroutine for d in a nanosleep system call, not
// on a runtime timer. While any timer is pending, the Go scheduler reads
// the clock every time it looks for work, and a queue whose goroutines park
// and wake on every message (a channel at capacity 0 or 1) looks for work
// on every message: on a virtual machine whose clock costs 30 ns a read,
// the sampler's one ticker made Go's channel 15-20% slower than in a
// program without one. A goroutine in a system call holds no timer; its
// processor is handed to the others while it sleeps.
func sleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for {
		var left syscall.Timespec
		err := syscall.Nanosleep(&ts, &left)
		if err != syscall.EINTR {
			return
		}
		ts = left // interrupted by a signal: sleep what is left
	}
}
