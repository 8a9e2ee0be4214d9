package plan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// SweepKeys are the keys a run can sweep.
var SweepKeys = []string{"producers", "consumers", "capacity", "payload", "value_bytes", "rate", "gomaxprocs"}

// sweepFlag is the option that sets a swept key, where its name differs.
var sweepFlag = map[string]string{"value_bytes": "value-bytes"}

// sweep expands KEY=V1,V2,… into one point per value: spec with the key
// set to the value. A key the override also sets is refused.
func sweep(s string, spec workloads.Spec, gomaxprocs int, over *Override, mem uint64) (*schema.Sweep, []point, error) {
	key, values, err := parseSweep(s)
	if err != nil {
		return nil, nil, err
	}
	if over.sets(key) {
		flag := cmp.Or(sweepFlag[key], key)
		return nil, nil, fmt.Errorf("--%s and --sweep %s: the sweep sets %s; give one or the other", flag, key, key)
	}
	var points []point
	for _, v := range values {
		s, procs, err := sweepPoint(spec, key, v, gomaxprocs, mem)
		if err != nil {
			return nil, nil, err
		}
		points = append(points, point{value: v, spec: s, gomaxprocs: procs})
	}
	return &schema.Sweep{Key: key, Values: values}, points, nil
}

// sets reports whether v replaces the swept key.
func (v *Override) sets(key string) bool {
	switch key {
	case "producers":
		return v.Producers != nil
	case "consumers":
		return v.Consumers != nil
	case "capacity":
		return v.Capacity != nil
	case "payload":
		return v.PayloadBytes != nil
	case "value_bytes":
		return v.ValueBytes != nil
	case "rate":
		return v.Rate != nil
	case "gomaxprocs":
		return v.GOMAXPROCS != nil
	}
	return false
}

// parseSweep reads KEY=V1,V2,… into the key, one of SweepKeys, and its
// values, in order and each once. A key may be spelled as its option
// (value-bytes for value_bytes). The values are checked by New, against
// the workload.
func parseSweep(s string) (key string, values []string, err error) {
	key, list, ok := strings.Cut(s, "=")
	for k, flag := range sweepFlag {
		if key == flag {
			key = k
		}
	}
	if !ok || !slices.Contains(SweepKeys, key) {
		return "", nil, fmt.Errorf("--sweep: %q, want KEY=V1,V2,… with KEY one of %s", s, strings.Join(SweepKeys, ", "))
	}
	for _, v := range strings.Split(list, ",") {
		if v = strings.TrimSpace(v); v != "" {
			if slices.Contains(values, v) {
				return "", nil, fmt.Errorf("--sweep: %s value %s given twice", key, v)
			}
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		return "", nil, fmt.Errorf("--sweep: no values for %s", key)
	}
	return key, values, nil
}

// sweepPoint returns the spec with the swept key set to value, and the
// GOMAXPROCS of the point.
func sweepPoint(spec workloads.Spec, key, value string, gomaxprocs int, mem uint64) (workloads.Spec, int, error) {
	bad := func(err error) error { return fmt.Errorf("--sweep: %s=%s: %v", key, value, err) }
	atoi := func() (int, error) {
		n, err := strconv.Atoi(value)
		if err != nil {
			return 0, bad(errors.New("not a whole number"))
		}
		return n, nil
	}
	var err error
	switch key {
	case "producers":
		spec.Producers, err = atoi()
	case "consumers":
		spec.Consumers, err = atoi()
	case "capacity":
		spec.Capacity, err = atoi()
	case "gomaxprocs":
		gomaxprocs, err = atoi()
		if err == nil && gomaxprocs < 1 {
			err = bad(errors.New("want at least 1"))
		}
	case "payload":
		spec.PayloadBytes, err = workloads.ParseSize(value)
		if err != nil {
			err = bad(err)
		}
	case "value_bytes":
		// Checked here, not only by Validate: to a spec, 0 means the default.
		spec.ValueBytes, err = atoi()
		if e := workloads.CheckValueBytes(spec.ValueBytes); err == nil && e != nil {
			err = bad(e)
		}
	case "rate":
		spec.Rate, err = strconv.ParseFloat(value, 64)
		if err != nil {
			err = bad(errors.New("not a number"))
		}
	}
	if err != nil {
		return spec, 0, err
	}
	if err := spec.Validate(mem); err != nil {
		return spec, 0, bad(err)
	}
	return spec, gomaxprocs, nil
}
