package cli

import (
	"io"
	"os"

	"github.com/chanbench/chanbench/internal/isolate"
)

// trialCmd is the hidden child side of a trial: chanbench run starts the
// same binary as "chanbench trial" with the trial's config on stdin.
func trialCmd(stdout, stderr io.Writer, args []string) error {
	return isolate.Child(os.Stdin, stdout)
}
