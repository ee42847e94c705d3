package inventory_test

import (
	"errors"
	"maps"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

func TestBookThenCancelPart(t *testing.T) {
	c := newCabin(t)
	applyBooking(t, c, book("e1", "B1", "M", 3, hour(1)))
	applyBooking(t, c, cancel("e2", "B1", "M", 1, hour(2)))

	want := map[string]inventory.Holding{"B1": {Class: "M", Seats: 2}}
	if !maps.Equal(c.Holdings, want) {
		t.Errorf("Holdings: got %v, want %v", c.Holdings, want)
	}
	if got := len(c.Pending); got != 2 {
		t.Errorf("Pending: got %d deltas %v, want 2", got, c.Pending)
	}
	if s, ok := c.Seats(classOrder); ok {
		t.Errorf("Seats without a snapshot: got %+v, true, want false", s)
	}

	applySnapshot(t, c, totalSnapshot("s1", hour(0), 0))
	s := seats(t, c)
	if s.SoldTotal != 2 {
		t.Errorf("SoldTotal: got %d, want 2", s.SoldTotal)
	}
	if got, want := withoutZeros(s.SoldByClass), map[string]int{"M": 2}; !maps.Equal(got, want) {
		t.Errorf("SoldByClass: got %v, want %v", got, want)
	}
}

func TestCancelWholeBooking(t *testing.T) {
	c := newCabin(t)
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))
	applyBooking(t, c, cancel("e2", "B1", "M", 2, hour(2)))

	if h, ok := c.Holdings["B1"]; ok {
		t.Errorf("Holdings[B1] after cancelling every seat: got %+v, want none", h)
	}
	_, err := c.ApplyBooking(cancel("e3", "B1", "M", 1, hour(3)))
	if !errors.Is(err, inventory.ErrUnknownBooking) {
		t.Errorf("cancel after every seat was released: got %v, want %v", err, inventory.ErrUnknownBooking)
	}
}

// TestDuplicateCancellation is the case of a cancellation delivered twice
// and then a cancellation of more seats than remain.
func TestDuplicateCancellation(t *testing.T) {
	c := newCabin(t)
	applySnapshot(t, c, totalSnapshot("s1", hour(0), 0))
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))

	applyBooking(t, c, cancel("e2", "B1", "M", 1, hour(2)))
	got, err := c.ApplyBooking(cancel("e2", "B1", "M", 1, hour(2)))
	if err != nil || got != inventory.Duplicate {
		t.Errorf("repeated cancellation e2: got %v, %v, want duplicate, nil", got, err)
	}
	if h := c.Holdings["B1"]; h.Seats != 1 {
		t.Errorf("B1 after the repeat: got %d seats, want 1", h.Seats)
	}

	got, err = c.ApplyBooking(cancel("e3", "B1", "M", 3, hour(3)))
	if !errors.Is(err, inventory.ErrCancelExceedsHolding) {
		t.Errorf("cancel 3 of 1 seat: got %v, %v, want error %v", got, err, inventory.ErrCancelExceedsHolding)
	}
	if h := c.Holdings["B1"]; h.Seats != 1 || h.Class != "M" {
		t.Errorf("B1 after the rejected cancellation: got %+v, want 1 seat in M", h)
	}

	s := seats(t, c)
	if s.SoldTotal != 1 {
		t.Errorf("SoldTotal: got %d, want 1", s.SoldTotal)
	}
	if got := s.SoldByClass["M"]; got != 1 {
		t.Errorf("SoldByClass[M]: got %d, want 1", got)
	}
	for class, n := range s.SoldByClass {
		if n < 0 {
			t.Errorf("SoldByClass[%s]: got %d, want 0 or more", class, n)
		}
	}
}

func TestBookingRejected(t *testing.T) {
	tests := []struct {
		name    string
		event   *inventory.Booking
		wantErr error
	}{
		{"cancel of unknown booking", cancel("e9", "B9", "M", 1, hour(2)), inventory.ErrUnknownBooking},
		{"cancel in another class", cancel("e9", "B1", "Q", 1, hour(2)), inventory.ErrClassMismatch},
		{"cancel exceeds holding", cancel("e9", "B1", "M", 3, hour(2)), inventory.ErrCancelExceedsHolding},
		{"booking id booked twice", book("e9", "B1", "M", 1, hour(2)), inventory.ErrBookingExists},
		{"booking id booked twice in another class", book("e9", "B1", "Y", 2, hour(2)), inventory.ErrBookingExists},
		{"booking of zero seats", book("e9", "B2", "M", 0, hour(2)), inventory.ErrInvalidBooking},
		{"booking of negative seats", book("e9", "B2", "M", -1, hour(2)), inventory.ErrInvalidBooking},
		{"cancel of zero seats", cancel("e9", "B1", "M", 0, hour(2)), inventory.ErrInvalidBooking},
		{"cancel of negative seats", cancel("e9", "B1", "M", -2, hour(2)), inventory.ErrInvalidBooking},
		{"unknown action", &inventory.Booking{EventID: "e9", BookingID: "B2", Class: "M", Seats: 1, EventTime: hour(2)}, inventory.ErrInvalidBooking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCabin(t)
			applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))
			before := c.Clone()

			got, err := c.ApplyBooking(tt.event)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ApplyBooking: got %v, %v, want error %v", got, err, tt.wantErr)
			}
			if !maps.Equal(c.Holdings, before.Holdings) {
				t.Errorf("Holdings after the rejection: got %v, want %v", c.Holdings, before.Holdings)
			}
			if len(c.Pending) != len(before.Pending) {
				t.Errorf("Pending after the rejection: got %v, want %v", c.Pending, before.Pending)
			}
			if _, ok := c.Seen[tt.event.EventID]; ok {
				t.Errorf("Seen: got rejected event %s, want it absent", tt.event.EventID)
			}
		})
	}
}

// TestRejectedEventNotSeen checks that a cancellation rejected because its
// booking was not applied yet is applied when it comes again afterwards.
func TestRejectedEventNotSeen(t *testing.T) {
	c := newCabin(t)
	early := cancel("e2", "B1", "M", 1, hour(2))

	if _, err := c.ApplyBooking(early); !errors.Is(err, inventory.ErrUnknownBooking) {
		t.Fatalf("cancel before its booking: got %v, want %v", err, inventory.ErrUnknownBooking)
	}
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))

	got, err := c.ApplyBooking(early)
	if err != nil || got != inventory.Applied {
		t.Errorf("same cancel after its booking: got %v, %v, want applied, nil", got, err)
	}
	if h := c.Holdings["B1"]; h.Seats != 1 {
		t.Errorf("B1: got %d seats, want 1", h.Seats)
	}
}

func TestDuplicateBooking(t *testing.T) {
	c := newCabin(t)
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))

	got, err := c.ApplyBooking(book("e1", "B1", "M", 2, hour(1)))
	if err != nil || got != inventory.Duplicate {
		t.Errorf("repeated booking e1: got %v, %v, want duplicate, nil", got, err)
	}
	if h := c.Holdings["B1"]; h.Seats != 2 {
		t.Errorf("B1: got %d seats, want 2", h.Seats)
	}
	if got := len(c.Pending); got != 1 {
		t.Errorf("Pending: got %d deltas, want 1", got)
	}
}

func TestBookingIDReusedAfterCancel(t *testing.T) {
	c := newCabin(t)
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))
	applyBooking(t, c, cancel("e2", "B1", "M", 2, hour(2)))
	applyBooking(t, c, book("e3", "B1", "Q", 1, hour(3)))

	if got, want := c.Holdings["B1"], (inventory.Holding{Class: "Q", Seats: 1}); got != want {
		t.Errorf("Holdings[B1]: got %+v, want %+v", got, want)
	}
}

func TestApplyBookingNilMaps(t *testing.T) {
	// A cabin restored from its changelog record may carry nil maps.
	c := &inventory.Cabin{Flight: testFlight(t), Name: "Y"}
	applyBooking(t, c, book("e1", "B1", "M", 2, hour(1)))

	if h := c.Holdings["B1"]; h.Seats != 2 {
		t.Errorf("B1: got %d seats, want 2", h.Seats)
	}
}
