package cli

import (
	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
)

// writeReports draws the charts and writes report.md and index.html next to
// results.json.
func writeReports(dir string, res *schema.Results) error {
	return reports.WriteAll(dir, res)
}
