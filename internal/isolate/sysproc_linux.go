package isolate

import "syscall"

// sysProcAttr puts the child in its own process group, so that Ctrl-C at the
// terminal reaches only the parent (which then stops the child itself), and
// asks the kernel to kill the child if the parent dies first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
