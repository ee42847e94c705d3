package inventory_test

import (
	"errors"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

func TestSnapshotOrder(t *testing.T) {
	tests := []struct {
		name        string
		first       *inventory.LoadFactor
		second      *inventory.LoadFactor
		wantOutcome inventory.Outcome
		wantCurrent string
	}{
		{"newer replaces", totalSnapshot("s1", hour(10), 5), totalSnapshot("s2", hour(20), 8), inventory.Applied, "s2"},
		{"newer with smaller id replaces", totalSnapshot("s2", hour(10), 5), totalSnapshot("s1", hour(20), 8), inventory.Applied, "s1"},
		{"older is stale", totalSnapshot("s1", hour(20), 5), totalSnapshot("s2", hour(10), 8), inventory.Stale, "s1"},
		{"equal as_of greater id wins", totalSnapshot("s1", hour(10), 5), totalSnapshot("s2", hour(10), 8), inventory.Applied, "s2"},
		{"equal as_of smaller id is stale", totalSnapshot("s2", hour(10), 5), totalSnapshot("s1", hour(10), 8), inventory.Stale, "s2"},
		{"same id is duplicate", totalSnapshot("s1", hour(10), 5), totalSnapshot("s1", hour(10), 5), inventory.Duplicate, "s1"},
		{
			"equal as_of in another zone",
			totalSnapshot("s1", hour(10), 5),
			totalSnapshot("s0", hour(10).In(time.FixedZone("UTC+9", 9*3600)), 8),
			inventory.Stale, "s1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCabin(t)
			applySnapshot(t, c, tt.first)

			got, err := c.ApplyLoadFactor(tt.second)
			if err != nil || got != tt.wantOutcome {
				t.Errorf("second ApplyLoadFactor: got %v, %v, want %v, nil", got, err, tt.wantOutcome)
			}
			if id := c.Snapshot.EventID; id != tt.wantCurrent {
				t.Errorf("Snapshot.EventID: got %s, want %s", id, tt.wantCurrent)
			}
		})
	}
}

func TestSnapshotReplacesFields(t *testing.T) {
	c := newCabin(t)
	applySnapshot(t, c, totalSnapshot("s1", hour(10), 5))

	next := classSnapshot("s2", hour(20), inventory.ClassSeats{Class: "Q", Seats: 7})
	next.PhysicalCapacity = 150
	next.AuthorizedCapacity = 160
	next.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: 4, StdDev: 2}}
	applySnapshot(t, c, next)

	s := seats(t, c)
	if s.PhysicalCapacity != 150 || s.AuthorizedCapacity != 160 {
		t.Errorf("capacity: got physical %d, authorized %d, want 150, 160", s.PhysicalCapacity, s.AuthorizedCapacity)
	}
	if s.SoldTotal != 7 {
		t.Errorf("SoldTotal: got %d, want 7", s.SoldTotal)
	}
	if len(s.Forecast) != 1 || s.Forecast[0] != next.Forecast[0] {
		t.Errorf("Forecast: got %v, want %v", s.Forecast, next.Forecast)
	}
	if s.ForecastID != "s2" {
		t.Errorf("ForecastID: got %q, want %q", s.ForecastID, "s2")
	}
}

// TestSnapshotKeepsOwnCopy checks that the cabin does not share the event's
// slices, so a caller that reuses its decode buffers cannot change the state.
func TestSnapshotKeepsOwnCopy(t *testing.T) {
	c := newCabin(t)
	l := classSnapshot("s1", hour(10), inventory.ClassSeats{Class: "Q", Seats: 7})
	l.Forecast = []inventory.ClassForecast{{Class: "Q", Mean: 4, StdDev: 2}}
	applySnapshot(t, c, l)

	l.SoldByClass[0] = inventory.ClassSeats{Class: "Y", Seats: 1}
	l.Forecast[0].Mean = 99

	s := seats(t, c)
	if got, want := withoutZeros(s.SoldByClass), map[string]int{"Q": 7}; !maps.Equal(got, want) {
		t.Errorf("SoldByClass after the event changed: got %v, want %v", got, want)
	}
	if got := s.Forecast[0].Mean; got != 4 {
		t.Errorf("Forecast mean after the event changed: got %v, want 4", got)
	}
}

func TestSnapshotSold(t *testing.T) {
	tests := []struct {
		name        string
		events      []any // *inventory.Booking or *inventory.LoadFactor, applied in order
		wantTotal   int
		wantByClass map[string]int
	}{
		{
			name: "delta after as_of counts",
			events: []any{
				totalSnapshot("s1", hour(10), 5),
				book("e1", "B1", "M", 2, hour(11)),
			},
			wantTotal:   7,
			wantByClass: map[string]int{"M": 2, "Q": 5},
		},
		{
			name: "delta at as_of applied first",
			events: []any{
				book("e1", "B1", "M", 2, hour(10)),
				totalSnapshot("s1", hour(10), 5),
			},
			wantTotal:   5,
			wantByClass: map[string]int{"M": 2, "Q": 3},
		},
		{
			name: "delta at as_of applied after",
			events: []any{
				totalSnapshot("s1", hour(10), 5),
				book("e1", "B1", "M", 2, hour(10)),
			},
			wantTotal:   5,
			wantByClass: map[string]int{"M": 2, "Q": 3},
		},
		{
			name: "delta before as_of applied after",
			events: []any{
				totalSnapshot("s1", hour(10), 5),
				book("e1", "B1", "M", 2, hour(3)),
			},
			wantTotal:   5,
			wantByClass: map[string]int{"M": 2, "Q": 3},
		},
		{
			name: "newer snapshot settles pending delta",
			events: []any{
				totalSnapshot("s1", hour(10), 5),
				book("e1", "B1", "M", 2, hour(15)),
				totalSnapshot("s2", hour(20), 7),
			},
			wantTotal:   7,
			wantByClass: map[string]int{"M": 2, "Q": 5},
		},
		{
			name: "older snapshot after newer is ignored",
			events: []any{
				totalSnapshot("s2", hour(20), 7),
				book("e1", "B1", "M", 2, hour(15)),
				totalSnapshot("s1", hour(10), 0),
			},
			wantTotal:   7,
			wantByClass: map[string]int{"M": 2, "Q": 5},
		},
		{
			name: "cancel after as_of",
			events: []any{
				book("e1", "B1", "M", 2, hour(5)),
				totalSnapshot("s1", hour(10), 2),
				cancel("e2", "B1", "M", 1, hour(12)),
			},
			wantTotal:   1,
			wantByClass: map[string]int{"M": 1},
		},
		{
			name: "per-class snapshot used as given",
			events: []any{
				book("e1", "B1", "M", 2, hour(5)),
				classSnapshot("s1", hour(10), cs("Y", 1), cs("B", 2), cs("Q", 4)),
				book("e2", "B2", "Q", 1, hour(12)),
			},
			wantTotal:   8,
			wantByClass: map[string]int{"Y": 1, "B": 2, "Q": 5},
		},
		{
			name: "total-only remainder to lowest class",
			events: []any{
				book("e1", "B1", "Y", 1, hour(1)),
				book("e2", "B2", "M", 2, hour(2)),
				totalSnapshot("s1", hour(10), 10),
			},
			wantTotal:   10,
			wantByClass: map[string]int{"Y": 1, "M": 2, "Q": 7},
		},
		{
			name: "total-only settled cancel",
			events: []any{
				book("e1", "B1", "M", 3, hour(1)),
				cancel("e2", "B1", "M", 1, hour(2)),
				totalSnapshot("s1", hour(10), 5),
			},
			wantTotal:   5,
			wantByClass: map[string]int{"M": 2, "Q": 3},
		},
		{
			name: "negative remainder from lowest class",
			events: []any{
				book("e1", "B1", "Y", 2, hour(1)),
				book("e2", "B2", "B", 2, hour(2)),
				book("e3", "B3", "Q", 1, hour(3)),
				totalSnapshot("s1", hour(10), 4),
			},
			wantTotal:   4,
			wantByClass: map[string]int{"Y": 2, "B": 2},
		},
		{
			name: "negative remainder skips empty class",
			events: []any{
				book("e1", "B1", "Y", 2, hour(1)),
				book("e2", "B2", "B", 2, hour(2)),
				book("e3", "B3", "Q", 1, hour(3)),
				totalSnapshot("s1", hour(10), 3),
			},
			wantTotal:   3,
			wantByClass: map[string]int{"Y": 2, "B": 1},
		},
		{
			name: "negative remainder up to highest class",
			events: []any{
				book("e1", "B1", "Y", 2, hour(1)),
				book("e2", "B2", "B", 2, hour(2)),
				book("e3", "B3", "Q", 1, hour(3)),
				totalSnapshot("s1", hour(10), 1),
			},
			wantTotal:   1,
			wantByClass: map[string]int{"Y": 1},
		},
		{
			name: "total-only zero",
			events: []any{
				book("e1", "B1", "Y", 2, hour(1)),
				book("e2", "B2", "Q", 2, hour(2)),
				totalSnapshot("s1", hour(10), 0),
			},
			wantTotal:   0,
			wantByClass: map[string]int{},
		},
		{
			name: "class not in order gets no remainder",
			events: []any{
				book("e1", "B1", "Z", 3, hour(1)),
				totalSnapshot("s1", hour(10), 5),
			},
			wantTotal:   5,
			wantByClass: map[string]int{"Z": 3, "Q": 2},
		},
		{
			name: "class not in order gives up seats last",
			events: []any{
				book("e1", "B1", "Z", 3, hour(1)),
				book("e2", "B2", "Q", 1, hour(2)),
				book("e3", "B3", "Y", 1, hour(3)),
				totalSnapshot("s1", hour(10), 2),
			},
			wantTotal:   2,
			wantByClass: map[string]int{"Z": 2},
		},
		{
			name: "per-class snapshot with class not in order",
			events: []any{
				classSnapshot("s1", hour(10), cs("Z", 2), cs("Q", 1)),
				book("e1", "B1", "Z", 1, hour(11)),
			},
			wantTotal:   4,
			wantByClass: map[string]int{"Z": 3, "Q": 1},
		},
		{
			// The snapshot puts no seat in M, yet a later cancellation
			// releases 2 seats of M. The total is the snapshot's 5 minus 2,
			// and the 2 seats M cannot give up come from the lowest class.
			name: "cancel below snapshot class count",
			events: []any{
				book("e1", "B1", "M", 2, hour(5)),
				classSnapshot("s1", hour(10), cs("Y", 1), cs("Q", 4)),
				cancel("e2", "B1", "M", 2, hour(12)),
			},
			wantTotal:   3,
			wantByClass: map[string]int{"Y": 1, "Q": 2},
		},
		{
			name: "cancel below zero total",
			events: []any{
				book("e1", "B1", "M", 2, hour(5)),
				totalSnapshot("s1", hour(10), 1),
				cancel("e2", "B1", "M", 2, hour(12)),
			},
			wantTotal:   0,
			wantByClass: map[string]int{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCabin(t)
			for _, e := range tt.events {
				applyEvent(t, c, e)
			}

			s := seats(t, c)
			if s.SoldTotal != tt.wantTotal {
				t.Errorf("SoldTotal: got %d, want %d", s.SoldTotal, tt.wantTotal)
			}
			if got := withoutZeros(s.SoldByClass); !maps.Equal(got, tt.wantByClass) {
				t.Errorf("SoldByClass: got %v, want %v", got, tt.wantByClass)
			}
			if got := sum(s.SoldByClass); got != s.SoldTotal {
				t.Errorf("sum of SoldByClass: got %d, want SoldTotal %d", got, s.SoldTotal)
			}
		})
	}
}

func cs(class string, seats int) inventory.ClassSeats {
	return inventory.ClassSeats{Class: class, Seats: seats}
}

// applyEvent applies a booking or a snapshot. A snapshot may be stale, but
// any error fails the test.
func applyEvent(t testing.TB, c *inventory.Cabin, e any) {
	t.Helper()
	switch e := e.(type) {
	case *inventory.Booking:
		applyBooking(t, c, e)
	case *inventory.LoadFactor:
		if _, err := c.ApplyLoadFactor(e); err != nil {
			t.Fatalf("ApplyLoadFactor(%s): got error %v, want nil", e.EventID, err)
		}
	default:
		t.Fatalf("applyEvent: unexpected event type %T", e)
	}
}

func TestDeltasBeforeFirstSnapshot(t *testing.T) {
	c := newCabin(t)
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(5)))
	applyBooking(t, c, book("e2", "B2", "Q", 1, hour(15)))

	if got := len(c.Pending); got != 2 {
		t.Errorf("Pending before the first snapshot: got %d deltas, want 2", got)
	}
	if got := withoutZeros(c.Settled); len(got) != 0 {
		t.Errorf("Settled before the first snapshot: got %v, want empty", got)
	}

	applySnapshot(t, c, totalSnapshot("s1", hour(10), 6))
	if got := len(c.Pending); got != 1 {
		t.Errorf("Pending after the snapshot: got %d deltas %v, want 1", got, c.Pending)
	}
	if got, want := withoutZeros(c.Settled), map[string]int{"M": 2}; !maps.Equal(got, want) {
		t.Errorf("Settled after the snapshot: got %v, want %v", got, want)
	}
	if got := seats(t, c).SoldTotal; got != 7 {
		t.Errorf("SoldTotal: got %d, want 7", got)
	}
}

// TestSeatsOversale is the case of a cabin of 180 seats with 5 seats of
// overbooking allowance and 186 seats sold.
func TestSeatsOversale(t *testing.T) {
	c := newCabin(t)
	applySnapshot(t, c, totalSnapshot("s1", hour(10), 180))
	for i := range 6 {
		id := string(rune('a' + i))
		applyBooking(t, c, book("e"+id, "B"+id, "Q", 1, hour(11+i)))
	}

	s := seats(t, c)
	if s.PhysicalCapacity != 180 || s.AuthorizedCapacity != 185 {
		t.Errorf("capacity: got physical %d, authorized %d, want 180, 185", s.PhysicalCapacity, s.AuthorizedCapacity)
	}
	if s.SoldTotal != 186 {
		t.Errorf("SoldTotal: got %d, want 186", s.SoldTotal)
	}
	if got := s.SoldByClass["Q"]; got != 186 {
		t.Errorf("SoldByClass[Q]: got %d, want 186", got)
	}
}

func TestSeatsOversaleSnapshot(t *testing.T) {
	c := newCabin(t)
	applySnapshot(t, c, totalSnapshot("s1", hour(10), 186))

	if got := seats(t, c).SoldTotal; got != 186 {
		t.Errorf("SoldTotal: got %d, want 186", got)
	}
}

func TestLoadFactorCheck(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*inventory.LoadFactor)
		wantErr bool
	}{
		{"valid total only", func(*inventory.LoadFactor) {}, false},
		{"valid per class", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("Y", 2), cs("Q", 3)} }, false},
		{"valid empty per class", func(l *inventory.LoadFactor) { l.SeatsSold = 0; l.SoldByClass = []inventory.ClassSeats{} }, false},
		{"authorized zero", func(l *inventory.LoadFactor) { l.AuthorizedCapacity = 0 }, false},
		{"sold above authorized", func(l *inventory.LoadFactor) { l.SeatsSold = 186 }, false},
		{"valid forecast", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: 3.5, StdDev: 1.2}, {Class: "Q", Mean: 0, StdDev: 0}}
		}, false},
		{"physical capacity zero", func(l *inventory.LoadFactor) { l.PhysicalCapacity = 0 }, true},
		{"physical capacity negative", func(l *inventory.LoadFactor) { l.PhysicalCapacity = -180 }, true},
		{"authorized negative", func(l *inventory.LoadFactor) { l.AuthorizedCapacity = -1 }, true},
		{"sold negative", func(l *inventory.LoadFactor) { l.SeatsSold = -1 }, true},
		{"by-class sum below total", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("Y", 2), cs("Q", 2)} }, true},
		{"by-class sum above total", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("Y", 2), cs("Q", 4)} }, true},
		{"empty per class with total", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{} }, true},
		{"repeated class", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("Q", 2), cs("Q", 3)} }, true},
		{"negative class", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("Y", 6), cs("Q", -1)} }, true},
		{"empty class name", func(l *inventory.LoadFactor) { l.SoldByClass = []inventory.ClassSeats{cs("", 5)} }, true},
		{"forecast mean NaN", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: math.NaN(), StdDev: 1}}
		}, true},
		{"forecast std dev infinite", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: 1, StdDev: math.Inf(1)}}
		}, true},
		{"forecast mean negative", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: -1, StdDev: 1}}
		}, true},
		{"forecast std dev negative", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: 1, StdDev: -0.5}}
		}, true},
		{"forecast repeated class", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: 1, StdDev: 1}, {Class: "Y", Mean: 2, StdDev: 1}}
		}, true},
		{"forecast empty class name", func(l *inventory.LoadFactor) {
			l.Forecast = []inventory.ClassForecast{{Class: "", Mean: 1, StdDev: 1}}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := totalSnapshot("s1", hour(10), 5)
			tt.change(l)

			err := l.Check()
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("Check: got error %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, inventory.ErrInvalidSnapshot) {
				t.Errorf("Check: got %v, want it to wrap %v", err, inventory.ErrInvalidSnapshot)
			}

			c := newCabin(t)
			got, applyErr := c.ApplyLoadFactor(l)
			if (applyErr != nil) != tt.wantErr {
				t.Errorf("ApplyLoadFactor: got %v, %v, want error %v", got, applyErr, tt.wantErr)
			}
			if tt.wantErr && c.Snapshot != nil {
				t.Errorf("Snapshot after a rejected event: got %+v, want nil", c.Snapshot)
			}
		})
	}
}

func TestRejectedSnapshotKeepsCurrent(t *testing.T) {
	c := newCabin(t)
	applySnapshot(t, c, totalSnapshot("s1", hour(10), 5))

	bad := totalSnapshot("s2", hour(20), 5)
	bad.PhysicalCapacity = 0
	if _, err := c.ApplyLoadFactor(bad); !errors.Is(err, inventory.ErrInvalidSnapshot) {
		t.Fatalf("ApplyLoadFactor(invalid): got %v, want %v", err, inventory.ErrInvalidSnapshot)
	}
	if id := c.Snapshot.EventID; id != "s1" {
		t.Errorf("Snapshot.EventID: got %s, want s1", id)
	}
}
