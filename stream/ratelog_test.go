package stream

import (
	"testing"
	"time"
)

func TestLogLimiterHoldsRepeats(t *testing.T) {
	l := newLogLimiter(time.Second)
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

	if ok, _ := l.allow("misrouted", start); !ok {
		t.Fatal("first line held back, want it logged")
	}
	for i := 0; i < 3; i++ {
		if ok, _ := l.allow("misrouted", start.Add(100*time.Millisecond)); ok {
			t.Fatalf("repeat %d within the interval logged, want it held back", i)
		}
	}
	if ok, _ := l.allow("undecodable", start.Add(100*time.Millisecond)); !ok {
		t.Error("first line of another key held back, want it logged")
	}
	ok, suppressed := l.allow("misrouted", start.Add(time.Second))
	if !ok {
		t.Fatal("line after the interval held back, want it logged")
	}
	if suppressed != 3 {
		t.Errorf("suppressed = %d, want 3", suppressed)
	}
}
