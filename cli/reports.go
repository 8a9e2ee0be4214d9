package cli

import "github.com/chanbench/chanbench/reports"

// writeReports draws the charts and writes report.md and index.html next to
// results.json.
func writeReports(dir string, res *reports.Results) error {
	return reports.WriteAll(dir, res)
}
