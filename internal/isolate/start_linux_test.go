package isolate

import (
	"syscall"
	"testing"
)

// TestStartOwnProcessGroup checks that the child leads a process group of
// its own, so that Ctrl-C at the terminal does not reach it.
func TestStartOwnProcessGroup(t *testing.T) {
	c, err := start(helperCommand(t, "sleep"), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.kill(); c.cmd.Wait() }()
	pid := c.cmd.Process.Pid
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		t.Errorf("child %d in process group %d (%v), want its own", pid, pgid, err)
	}
}
