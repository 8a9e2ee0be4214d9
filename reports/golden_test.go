package reports

import "flag"

var update = flag.Bool("update", false, "rewrite the fixtures and golden files in testdata")
