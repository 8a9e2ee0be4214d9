package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// results is the part of a chanbench results.json that -read-throughput
// needs.
type results struct {
	Trials []struct {
		Impl       string  `json:"impl"`
		Outcome    string  `json:"outcome"`
		Throughput float64 `json:"throughput"` // messages received per second
	} `json:"trials"`
}

// readThroughput returns the median throughput of the trials in the
// chanbench results file that ended ok.
func readThroughput(path string) (float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading chanbench results: %w", err)
	}
	var r results
	if err := json.Unmarshal(data, &r); err != nil {
		return 0, fmt.Errorf("reading chanbench results %s: %w", path, err)
	}
	var thr []float64
	outcomes := map[string]int{}
	for _, t := range r.Trials {
		outcomes[t.Outcome]++
		if t.Outcome == "ok" {
			thr = append(thr, t.Throughput)
		}
	}
	if len(thr) == 0 {
		return 0, fmt.Errorf("%s: no trial ended ok (outcomes: %v)", path, outcomes)
	}
	return median(thr), nil
}
