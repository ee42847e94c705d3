package stream

import (
	"sync"
	"time"
)

// logLimiter lets through one log line per key per interval and counts the
// lines it held back, so a flood of bad records does not flood the log.
type logLimiter struct {
	interval time.Duration

	mu   sync.Mutex // guards last and held
	last map[string]time.Time
	held map[string]int
}

func newLogLimiter(interval time.Duration) *logLimiter {
	return &logLimiter{interval: interval, last: make(map[string]time.Time), held: make(map[string]int)}
}

// allow reports whether a line for key may be logged now, and how many
// lines for key were held back since the last one logged.
func (l *logLimiter) allow(key string, now time.Time) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.last[key]) < l.interval {
		l.held[key]++
		return false, 0
	}
	l.last[key] = now
	suppressed = l.held[key]
	l.held[key] = 0
	return true, suppressed
}
