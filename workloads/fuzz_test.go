package workloads

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParse feeds arbitrary bytes to Parse as a workload file, with an
// arbitrary machine memory. Parse must never panic, and must either return
// an error that reaches the user as one line, or a spec that is valid (which
// includes a rate that is a number) and that reads back the same when written
// out as YAML again.
func FuzzParse(f *testing.F) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := builtinFS.ReadFile("builtin/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint64(24<<30))
		f.Add(data, uint64(0))
	}
	for _, s := range []string{
		"",
		"name: x\n",
		"name: x\nproducers: 0\n",
		"name: x\nburst: {size: 0, every: 1s}\n",
		"name: x\nmessages: 10\nduration: 1s\n",
		"name: x\nmem_limit: 1TiB\n",
		"name: x\nmem_limit: 1KiB\n",
		"name: x\npayload_bytes: 1.5GiB\nrate: 1e300\n",
		"name: x\nduration: 9223372036s\nidle: 9223372036s\n",
		"name: x\npolicy: drop-oldest\ncapacity: 1\ndrain: false\n",
		"name: x\nconsumer: {service_time: 2us, jitter: 1us}\n",
		"name: x\nconsumer: [1, 2]\n",
		"name: x\nunknown: 1\n",
		"name: [x]\n",
		"name: \"a\\nb\"\n",
		"- a\n- b\n",
		"name: x\n---\nname: y\n",
		"name: &a x\nproducers: *a\n",
		"\t name: x",
		"{name: x, producers: -1}",
	} {
		f.Add([]byte(s), uint64(16<<30))
	}
	f.Fuzz(func(t *testing.T, data []byte, machineMemory uint64) {
		s, err := Parse(data, machineMemory)
		if err != nil {
			msg := err.Error()
			if msg == "" || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("Parse(%q) error is not one line: %q", data, msg)
			}
			return
		}
		if err := s.Validate(machineMemory); err != nil {
			t.Fatalf("Parse(%q) returned a spec that Validate rejects: %v\n%+v", data, err, s)
		}
		if math.IsNaN(s.Rate) {
			t.Fatalf("Parse(%q) accepted rate NaN", data)
		}
		out, err := yaml.Marshal(&s)
		if err != nil {
			t.Fatalf("writing the spec of %q as YAML: %v", data, err)
		}
		back, err := Parse(out, machineMemory)
		if err != nil {
			t.Fatalf("the spec of %q written out does not parse: %v\n%s", data, err, out)
		}
		if !reflect.DeepEqual(back, s) {
			t.Fatalf("the spec of %q does not read back the same:\nwrote %s\nread  %+v\nwant  %+v", data, out, back, s)
		}
	})
}
