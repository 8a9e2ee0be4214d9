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

	// The helpers below speak the protocol as a trial child does.

	// ok runs a whole trial that loses nothing.
	"ok": func() int {
		fmt.Print(lines(lineStart, lineSample1, lineSample2, lineDrained, lineResult))
		return 0
	},
	// lost runs a whole trial that loses 3 messages.
	"lost": func() int {
		fmt.Print(lines(lineStart, lineSample1, lineDrained, `{"kind":"result","t_ms":130,"trial":{"sent":60,"received":57,"lost":3}}`))
		return 0
	},
	// panic panics after its first sample.
	"panic": func() int {
		fmt.Print(lines(lineStart, lineSample1))
		panic("queue broke")
	},
	// silent exits at once and says nothing.
	"silent": func() int { return 0 },
	// selfkill exits as a child past its own safety net does.
	"selfkill": func() int {
		fmt.Print(lines(lineStart, lineSample1))
		return SelfKillExit
	},
	// hang starts and then never finishes.
	"hang": func() int {
		fmt.Print(lines(lineStart, lineSample1))
		time.Sleep(10 * time.Second)
		return 0
	},
	// grow starts, then takes 1 MiB more every millisecond up to
	// growMax, and waits.
	"grow": func() int {
		fmt.Print(lines(lineStart, lineSample1))
		var held [][]byte
		for len(held) < growMax/mb {
			b := make([]byte, mb)
			for i := range b {
				b[i] = 1 // touch every page, so that it counts in RSS
			}
			held = append(held, b)
			time.Sleep(time.Millisecond)
		}
		time.Sleep(10 * time.Second)
		return len(held[0]) // keeps held alive
	},
}

// growMax is the most the grow helper allocates, in bytes.
const growMax = 64 * mb

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
