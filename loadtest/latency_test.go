package loadtest

import (
	"testing"
	"time"
)

func TestLatencySummary(t *testing.T) {
	l := NewLatencies()
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for i := 1; i <= 100; i++ {
		id := string(rune('A'-1+i%26)) + time.Duration(i).String()
		l.Sent(id, start)
		if !l.Seen(id, start.Add(time.Duration(i)*time.Millisecond)) {
			t.Fatalf("Seen(%s) = false after Sent", id)
		}
	}
	if l.Seen("never-sent", start) {
		t.Error("Seen of an id never sent = true, want false")
	}

	got := l.Summary()
	want := Summary{Count: 100, P50: 50 * time.Millisecond, P90: 90 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
}
