//go:build !unix

package isolate

import "time"

// sleep pauses for d. Elsewhere than on Unix it uses a runtime timer (see
// sleep_unix.go for what that costs).
func sleep(d time.Duration) { time.Sleep(d) }
