package cli

import (
	"fmt"
	"strings"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/workloads"
)

// sizeFlag is a byte count flag: 1024, 1KiB, 256MiB.
type sizeFlag struct{ v *workloads.Size }

func (f sizeFlag) String() string {
	if f.v == nil {
		return ""
	}
	return f.v.String()
}

func (f sizeFlag) Set(s string) error {
	v, err := workloads.ParseSize(s)
	if err != nil {
		return err
	}
	*f.v = v
	return nil
}

// durationFlag is a duration flag: 500ms, 2s, 50us.
type durationFlag struct{ v *workloads.Duration }

func (f durationFlag) String() string {
	if f.v == nil {
		return ""
	}
	return f.v.String()
}

func (f durationFlag) Set(s string) error {
	v, err := workloads.ParseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", s)
	}
	*f.v = v
	return nil
}

// listFlag is a comma-separated list: chan,ring,bounded.
type listFlag []string

func (f *listFlag) String() string { return strings.Join(*f, ",") }

func (f *listFlag) Set(s string) error {
	*f = nil
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*f = append(*f, part)
		}
	}
	if len(*f) == 0 {
		return fmt.Errorf("empty list")
	}
	return nil
}

// policyFlag is a full-queue policy flag: block, reject, drop-oldest or
// drop-newest, read once, when the flag is. It shows no default: where it
// is not given, the workload's policy stands.
type policyFlag struct{ v *impls.Policy }

func (f policyFlag) String() string { return "" }

func (f policyFlag) Set(s string) error {
	p, err := impls.ParsePolicy(s)
	if err != nil {
		return err
	}
	*f.v = p
	return nil
}
