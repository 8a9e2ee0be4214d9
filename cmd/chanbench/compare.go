package main

import (
	"errors"
	"io"
)

func compareCmd(stdout, stderr io.Writer, args []string) error {
	return badInput(errors.New("compare: not built yet"))
}
