// Package workloads describes the load chanbench puts on a queue and drives
// it: workload specs (YAML files, the built-ins embedded), their validation,
// and the Driver that runs producers and consumers against a queue while
// counting, validating and timing every message.
//
// A workload file has these keys; only name is required:
//
//	name           the workload's name in tables, charts and results
//	description    what it shows
//	producers      sending goroutines (default 1)
//	consumers      receiving goroutines (default 1)
//	capacity       capacity of bounded queues (default 1024)
//	policy         what bounded does when full: block (default), reject,
//	               drop-oldest, drop-newest
//	payload_bytes  heap bytes each message carries, allocated by the producer
//	               (default 0); a number or a size such as 1KiB
//	value_bytes    the size of the value the queue is built for and copies
//	               per message: 16, 32, 64, 128, 256 or 1024 (default 16,
//	               or 32 with a payload, whose pointer it holds)
//	messages       total messages to send, shared by the producers
//	duration       how long producers send (default 2s when messages is unset)
//	rate           messages per second per producer; 0 = as fast as possible
//	burst          {size, every}: each producer sends size messages back to
//	               back every every
//	consumer       {service_time, jitter}: work per message, busy-waited so
//	               microseconds are honoured; jitter adds [0, jitter) at random
//	drain          after the producers stop, consumers empty the queue
//	               (default true)
//	idle           hold after the drain, to see what memory stays resident
//	mem_limit      the trial's memory budget (default 1GiB, at most half the
//	               machine's memory, at least 32MiB)
//	timeout        the trial's time limit (default: duration + idle + 60s)
//
// Durations are Go duration text (500ms, 2s, 50us); sizes are bytes or
// take a unit (KiB, MiB, GiB, or KB, MB, GB).
//
// What the driver measures: enqueue-to-dequeue latency (from the call to
// Send to the return of Recv) in an HDR histogram, and for paced producers
// also from the scheduled send time, so time blocked by backpressure is not
// hidden; the producers' time blocked in Send; and for every message its
// producer and sequence number, from which it counts losses, duplicates and
// per-producer reorderings. It does not sample memory or kill anything:
// package isolate does that from outside the process.
package workloads
