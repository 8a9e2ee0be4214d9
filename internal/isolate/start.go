package isolate

// Starting a child and following it: its command line, its stdin (the
// Config as one JSON document), its stderr (the head is kept for a crash's
// reason), its process group, a reader of its RSS, and the goroutines that
// read its events and reap it. The child inherits the parent's environment
// and working directory unchanged.
//
// Invariants:
//  Wait is called only after the last read of stdout has returned: Wait
//  closes stdout, and a read after it would lose the child's last events.
//  exited receives one value, Wait's error, after the events are all read.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v3/process"
)

// stderrHead is how much of the child's stderr is kept, in bytes: enough
// for a panic message and the start of its goroutine dump.
const stderrHead = 64 << 10

// A child is a started child process.
type child struct {
	cmd *exec.Cmd
	// stdout is the child's event stream.
	stdout io.Reader
	// stderr keeps the first stderrHead bytes the child wrote to stderr.
	stderr *headBuffer
	// began is when the child started, by the parent's clock.
	began time.Time
	// rss reads the child's resident set size in bytes; it fails once the
	// child has exited, and may read 0 before the child is reaped.
	rss func() (int64, error)
}

// start starts command with cfg on its stdin, in a process group of its
// own (see sysProcAttr). The error says which step failed; no child is left
// running after one.
func start(command []string, cfg Config) (*child, error) {
	in, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin = bytes.NewReader(in)
	stderr := &headBuffer{}
	cmd.Stderr = stderr
	cmd.SysProcAttr = sysProcAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start trial: %w", err)
	}
	c := &child{cmd: cmd, stdout: stdout, stderr: stderr, began: time.Now()}
	proc, err := process.NewProcess(int32(cmd.Process.Pid))
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("watch trial: %w", err)
	}
	c.rss = func() (int64, error) {
		mi, err := proc.MemoryInfo()
		if err != nil {
			return 0, err
		}
		return int64(mi.RSS), nil
	}
	return c, nil
}

// follow reads the child's events into ev and then reaps the child, in
// goroutines of their own. started receives the parent's time at the
// child's first phase event, if there is one; exited receives Wait's error.
func (c *child) follow(ev *events) (started <-chan time.Time, exited <-chan error) {
	t0 := make(chan time.Time, 1)
	done := make(chan error, 1)
	go func() {
		ev.read(c.stdout, func() { t0 <- time.Now() })
		done <- c.cmd.Wait() // after the last read: Wait closes stdout
	}()
	return t0, done
}

// kill kills the child with SIGKILL. It may be called more than once.
func (c *child) kill() { c.cmd.Process.Kill() }

// headBuffer keeps the first stderrHead bytes written to it. Writes never
// fail, so that a child's long goroutine dump never blocks it.
type headBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *headBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := stderrHead - len(t.buf); room > 0 {
		t.buf = append(t.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (t *headBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
