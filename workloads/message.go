package workloads

// A Message is what producers send through the queue under test. It is a
// value type of 56 bytes, so queues that store values inline hold it without
// an allocation; the payload, when the workload asks for one, is a separate
// heap allocation like a downloaded page or a decoded request.
type Message struct {
	// Producer is the index of the producer that sent the message.
	Producer uint32
	// Seq numbers the producer's messages from 0 without gaps.
	Seq uint64
	// SentNS is when Send was called, in nanoseconds on the trial's clock,
	// or 0 when the message is not stamped for latency.
	SentNS int64
	// IntendedNS is when the producer's schedule meant the message to be
	// sent (rate-limited and bursty producers), or 0.
	IntendedNS int64
	// Payload is the message's heap memory; nil for payload_bytes 0.
	Payload []byte
}
