// Package machine describes the computer chanbench runs on, for the
// results document and for budgets that depend on the machine's memory.
package machine

import (
	"os"
	"runtime"
	"strings"

	"github.com/chanbench/chanbench/schema"
	"github.com/shirou/gopsutil/v3/cpu"
	"github.com/shirou/gopsutil/v3/mem"
)

// Memory returns the machine's total memory in bytes, or 0 if unknown.
// Inside a container with a memory limit (cgroup v2), the limit counts.
func Memory() uint64 {
	var total uint64
	if vm, err := mem.VirtualMemory(); err == nil {
		total = vm.Total
	}
	if limit := cgroupLimit(); limit > 0 && (total == 0 || limit < total) {
		total = limit
	}
	return total
}

func cgroupLimit() uint64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	s := strings.TrimSpace(string(b))
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0 // "max": no limit
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

// Describe returns the machine as the results document records it.
func Describe() schema.Machine {
	m := schema.Machine{
		Cores:       runtime.NumCPU(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		MemoryBytes: Memory(),
		OS:          runtime.GOOS,
		Arch:        runtime.GOARCH,
		GoVersion:   runtime.Version(),
	}
	if infos, err := cpu.Info(); err == nil && len(infos) > 0 {
		m.CPU = strings.TrimSpace(infos[0].ModelName)
	}
	return m
}
