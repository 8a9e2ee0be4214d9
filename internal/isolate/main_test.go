package isolate

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// helperArg, as the test binary's first argument, makes it a child for the
// tests instead of running them: the helper named by the second argument
// runs and its return value is the exit status.
const helperArg = "isolate-test-helper"

// helpers are the children the tests start, by name.
var helpers = map[string]func() int{
	// echo copies stdin to stdout.
	"echo": func() int {
		io.Copy(os.Stdout, os.Stdin)
		return 0
	},
	// fail writes a line to stderr and exits with status 3.
	"fail": func() int {
		fmt.Fprintln(os.Stderr, "boom")
		return 3
	},
	// flood writes 200 KiB to stderr, more than a pipe holds, and exits.
	"flood": func() int {
		os.Stderr.WriteString(strings.Repeat("0123456789abcdef", 200<<10/16))
		return 0
	},
	// events writes a start phase and a sample, and exits.
	"events": func() int {
		fmt.Print(lines(lineStart, lineSample1))
		return 0
	},
	// sleep sleeps for 10 s, longer than any test waits for it.
	"sleep": func() int {
		time.Sleep(10 * time.Second)
		return 0
	},
}

func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == helperArg {
		os.Exit(helpers[os.Args[2]]())
	}
	// Under the race detector a child would sleep a second at exit, in
	// case another goroutine is about to report a race.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	os.Exit(m.Run())
}

// helperCommand is the command line that starts the helper called name.
func helperCommand(t *testing.T, name string) []string {
	t.Helper()
	if helpers[name] == nil {
		t.Fatalf("no helper %q", name)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe, helperArg, name}
}
