package workloads

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// A Duration is a time.Duration that workload files and results spell as
// Go duration text: "250ms", "2s", "50us" (or "50µs").
type Duration time.Duration

// ParseDuration reads Go duration text; a bare "0" is zero.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (want e.g. 500ms, 2s, 50us)", s)
	}
	return Duration(d), nil
}

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"2s\"")
	}
	v, err := ParseDuration(s)
	*d = v
	return err
}

func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("want a duration such as 2s")
	}
	v, err := ParseDuration(n.Value)
	*d = v
	return err
}

// A Size is a number of bytes that workload files spell as a plain integer
// or with a unit: B, KiB, MiB, GiB (powers of 1024) or KB, MB, GB (powers of
// 1000).
type Size int64

var sizeUnits = []struct {
	suffix string
	mult   float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// ParseSize reads a byte count such as 1024, 1KiB, 512MiB or 1.5GiB.
func ParseSize(s string) (Size, error) {
	s = strings.TrimSpace(s)
	num, mult := s, 1.0
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is not a size (want e.g. 1024, 1KiB, 512MiB)", s)
	}
	return Size(f * mult), nil
}

// String spells the size with the largest binary unit that divides it, or
// in bytes.
func (s Size) String() string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if s != 0 && int64(s)%u.mult == 0 {
			return fmt.Sprintf("%d%s", int64(s)/u.mult, u.suffix)
		}
	}
	return strconv.FormatInt(int64(s), 10)
}

// MiB returns the size in mebibytes.
func (s Size) MiB() float64 { return float64(s) / (1 << 20) }

func (s Size) MarshalJSON() ([]byte, error) { return json.Marshal(int64(s)) }

func (s *Size) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		*s = Size(n)
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return fmt.Errorf("size must be a number of bytes or a string such as \"1KiB\"")
	}
	v, err := ParseSize(str)
	*s = v
	return err
}

func (s Size) MarshalYAML() (any, error) { return s.String(), nil }

func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("want a size such as 1KiB")
	}
	v, err := ParseSize(n.Value)
	*s = v
	return err
}
