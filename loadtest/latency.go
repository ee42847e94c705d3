package loadtest

import (
	"slices"
	"sync"
	"time"
)

// Latencies records when each event was sent and how long until each
// output it caused was seen, and summarizes them. It is safe for concurrent
// use.
type Latencies struct {
	mu      sync.Mutex // guards sent and samples
	sent    map[string]time.Time
	samples []time.Duration
}

// NewLatencies returns an empty recorder.
func NewLatencies() *Latencies {
	return &Latencies{sent: make(map[string]time.Time)}
}

// Sent records that the event with this id was handed to the producer at t.
func (l *Latencies) Sent(id string, t time.Time) {
	l.mu.Lock()
	l.sent[id] = t
	l.mu.Unlock()
}

// Seen records an output caused by the event with this id, seen at t. It
// reports false for an id that was never sent.
func (l *Latencies) Seen(id string, t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, ok := l.sent[id]
	if ok {
		l.samples = append(l.samples, t.Sub(at))
	}
	return ok
}

// Summary is the distribution of the recorded latencies.
type Summary struct {
	Count              int
	P50, P90, P99, Max time.Duration
}

// Summary returns the percentiles of the latencies seen so far, by the
// nearest-rank method.
func (l *Latencies) Summary() Summary {
	l.mu.Lock()
	samples := slices.Clone(l.samples)
	l.mu.Unlock()
	if len(samples) == 0 {
		return Summary{}
	}
	slices.Sort(samples)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(samples))+0.999999) - 1
		return samples[max(0, min(i, len(samples)-1))]
	}
	return Summary{Count: len(samples), P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: samples[len(samples)-1]}
}
