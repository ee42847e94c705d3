package inventory_test

import (
	"maps"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

// classOrder lists the test cabin's classes from the highest base fare down.
var classOrder = []string{"Y", "B", "M", "Q"}

// base is the time the test events are measured from, in hours.
var base = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func hour(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

func newCabin(t testing.TB) *inventory.Cabin {
	return inventory.NewCabin(testFlight(t), "Y")
}

func book(eventID, bookingID, class string, seats int, at time.Time) *inventory.Booking {
	return &inventory.Booking{
		EventID:   eventID,
		BookingID: bookingID,
		Action:    inventory.ActionBook,
		Cabin:     "Y",
		Class:     class,
		Seats:     seats,
		EventTime: at,
	}
}

func cancel(eventID, bookingID, class string, seats int, at time.Time) *inventory.Booking {
	b := book(eventID, bookingID, class, seats, at)
	b.Action = inventory.ActionCancel
	return b
}

// totalSnapshot returns a snapshot that gives only the total sold.
func totalSnapshot(eventID string, asOf time.Time, sold int) *inventory.LoadFactor {
	return &inventory.LoadFactor{
		EventID:            eventID,
		Cabin:              "Y",
		AsOf:               asOf,
		PhysicalCapacity:   180,
		AuthorizedCapacity: 185,
		SeatsSold:          sold,
	}
}

// classSnapshot returns a snapshot with seats sold per class and their sum.
func classSnapshot(eventID string, asOf time.Time, byClass ...inventory.ClassSeats) *inventory.LoadFactor {
	l := totalSnapshot(eventID, asOf, 0)
	l.SoldByClass = byClass
	for _, cs := range byClass {
		l.SeatsSold += cs.Seats
	}
	return l
}

// applyBooking applies b and fails the test unless the outcome is Applied.
func applyBooking(t testing.TB, c *inventory.Cabin, b *inventory.Booking) {
	t.Helper()
	got, err := c.ApplyBooking(b)
	if err != nil || got != inventory.Applied {
		t.Fatalf("ApplyBooking(%s %s): got %v, %v, want applied, nil", b.Action, b.EventID, got, err)
	}
}

// applySnapshot applies l and fails the test unless the outcome is Applied.
func applySnapshot(t testing.TB, c *inventory.Cabin, l *inventory.LoadFactor) {
	t.Helper()
	got, err := c.ApplyLoadFactor(l)
	if err != nil || got != inventory.Applied {
		t.Fatalf("ApplyLoadFactor(%s): got %v, %v, want applied, nil", l.EventID, got, err)
	}
}

// seats returns the cabin's merged seats and fails the test if it has no
// snapshot.
func seats(t testing.TB, c *inventory.Cabin) inventory.Seats {
	t.Helper()
	s, ok := c.Seats(classOrder)
	if !ok {
		t.Fatalf("Seats: got no result, want one (snapshot %+v)", c.Snapshot)
	}
	return s
}

// withoutZeros returns a copy of m without its zero entries, since a class
// with no seats sold may be missing or present with 0.
func withoutZeros(m map[string]int) map[string]int {
	out := maps.Clone(m)
	maps.DeleteFunc(out, func(_ string, n int) bool { return n == 0 })
	if out == nil {
		out = map[string]int{}
	}
	return out
}

func sum(m map[string]int) int {
	total := 0
	for _, n := range m {
		total += n
	}
	return total
}
