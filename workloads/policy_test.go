package workloads

import (
	"fmt"
	"testing"

	"github.com/chanbench/chanbench/impls"
)

// TestEveryPolicyOnEveryQueue runs each policy against each built-in queue
// on a bursty and a flat-out workload, with the policy carried out by
// whoever the registry says (the queue, the producer, or nobody for an
// unbounded queue). Every message must be accounted for: received or
// dropped, none lost; and a bounded queue under a burst it cannot hold
// must really drop under the non-blocking policies, so that the drop paths
// are exercised, not merely allowed.
func TestEveryPolicyOnEveryQueue(t *testing.T) {
	shapes := map[string]string{
		// 4 producers × 2000 back to back every 100ms against a consumer
		// needing 2µs each: the 256-slot queues overflow at every burst.
		"burst": "name: burst\nproducers: 4\ncapacity: 256\nburst: {size: 2000, every: 100ms}\nconsumer: {service_time: 2us}\nduration: 250ms\n",
		// 4 producers flat out, a consumer that does no work.
		"steady": "name: steady\nproducers: 4\ncapacity: 256\nduration: 100ms\n",
	}
	for _, shape := range []string{"burst", "steady"} {
		for _, info := range impls.Infos() {
			for _, policy := range []impls.Policy{impls.Block, impls.Reject, impls.DropOldest, impls.DropNewest} {
				t.Run(fmt.Sprintf("%s/%s/%s", shape, info.Name, policy), func(t *testing.T) {
					s := mustSpec(t, shapes[shape]+"policy: "+policy.String()+"\n")
					if info.Supports(s.Producers, s.Consumers) != nil {
						s.Producers = 1 // spsc: the same shape with one producer
					}
					if err := info.SupportsPolicy(policy, s.Producers, s.Consumers, s.Capacity); err != nil {
						if info.Name != "spsc" || policy != impls.DropOldest {
							t.Fatalf("refused: %v", err)
						}
						return // a producer that must receive cannot share spsc's one receiving side
					}
					q, err := impls.NewWith[Value32](info.Name, impls.Options{Capacity: s.Capacity, Policy: policy})
					if err != nil {
						t.Fatal(err)
					}
					by := info.PolicyBy(policy)
					d, err := NewDriver(s, q, Options{PolicyBy: by})
					if err != nil {
						t.Fatal(err)
					}
					res, err := d.Run()
					if err != nil {
						t.Fatal(err)
					}
					if res.Lost != 0 || res.Received+res.Dropped != res.Sent || res.Duplicates != 0 || res.Reordered != 0 {
						t.Fatalf("sent %d, received %d, dropped %d (by %s): lost %d, duplicated %d, reordered %d",
							res.Sent, res.Received, res.Dropped, by, res.Lost, res.Duplicates, res.Reordered)
					}
					if res.PolicyBy != by {
						t.Errorf("result says the policy was carried out by %q, want %q", res.PolicyBy, by)
					}
					drops := policy != impls.Block && by != impls.ByNobody
					switch {
					case !drops && res.Dropped != 0:
						t.Errorf("dropped %d under %s by %s", res.Dropped, policy, by)
					case drops && shape == "burst" && res.Dropped == 0:
						t.Errorf("nothing dropped under %s by %s, with bursts of 8000 into 256 slots", policy, by)
					case drops && res.BlockedNS != 0:
						t.Errorf("blocked %dns under %s, which never blocks", res.BlockedNS, policy)
					}
				})
			}
		}
	}
}

func TestPolicyBy(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy impls.Policy
		want   impls.PolicyBy
	}{
		{"chan", impls.Block, impls.ByQueue},
		{"chan", impls.Reject, impls.ByProducer},
		{"ring", impls.DropOldest, impls.ByProducer},
		{"bounded", impls.DropOldest, impls.ByQueue},
		{"bounded", impls.Reject, impls.ByQueue},
		{"list", impls.Reject, impls.ByNobody},
		{"segment", impls.Block, impls.ByNobody},
	} {
		info, _ := impls.Lookup(tc.name)
		if got := info.PolicyBy(tc.policy); got != tc.want {
			t.Errorf("%s.PolicyBy(%s) = %q, want %q", tc.name, tc.policy, got, tc.want)
		}
	}
}
