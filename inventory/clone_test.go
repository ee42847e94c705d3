package inventory_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

func TestCabinCloneIndependent(t *testing.T) {
	orig := newCabin(t)
	applyBooking(t, orig, book("e1", "B1", "M", 2, hour(5)))
	applySnapshot(t, orig, totalSnapshot("s1", hour(10), 4))
	applyBooking(t, orig, book("e2", "B2", "Q", 1, hour(12)))
	orig.Sequence = 3

	wantHoldings := maps.Clone(orig.Holdings)
	wantSettled := maps.Clone(orig.Settled)
	wantSeen := maps.Clone(orig.Seen)
	wantPending := slices.Clone(orig.Pending)
	wantSeats := seats(t, orig)

	clone := orig.Clone()
	applyBooking(t, clone, cancel("e3", "B1", "M", 1, hour(13)))
	applyBooking(t, clone, book("e4", "B3", "Y", 1, hour(8)))
	applySnapshot(t, clone, totalSnapshot("s2", hour(12), 6))
	clone.Holdings["B9"] = inventory.Holding{Class: "Y", Seats: 9}
	clone.Pending[0].Seats = 100
	clone.Sequence = 4

	if !maps.Equal(orig.Holdings, wantHoldings) {
		t.Errorf("original Holdings: got %v, want %v", orig.Holdings, wantHoldings)
	}
	if !maps.Equal(orig.Settled, wantSettled) {
		t.Errorf("original Settled: got %v, want %v", orig.Settled, wantSettled)
	}
	if !maps.Equal(orig.Seen, wantSeen) {
		t.Errorf("original Seen: got %v, want %v", orig.Seen, wantSeen)
	}
	if !slices.Equal(orig.Pending, wantPending) {
		t.Errorf("original Pending: got %v, want %v", orig.Pending, wantPending)
	}
	if orig.Snapshot.EventID != "s1" {
		t.Errorf("original Snapshot: got %s, want s1", orig.Snapshot.EventID)
	}
	if orig.Sequence != 3 {
		t.Errorf("original Sequence: got %d, want 3", orig.Sequence)
	}
	got := seats(t, orig)
	if got.SoldTotal != wantSeats.SoldTotal || !maps.Equal(got.SoldByClass, wantSeats.SoldByClass) {
		t.Errorf("original Seats: got %+v, want %+v", got, wantSeats)
	}
}

// TestCabinCloneSettlesOwnPending checks that settling the clone's pending
// deltas in place leaves the original's slice alone.
func TestCabinCloneSettlesOwnPending(t *testing.T) {
	orig := newCabin(t)
	applyBooking(t, orig, book("e1", "B1", "M", 2, hour(5)))
	applyBooking(t, orig, book("e2", "B2", "Q", 1, hour(15)))
	want := slices.Clone(orig.Pending)

	clone := orig.Clone()
	applySnapshot(t, clone, totalSnapshot("s1", hour(10), 3))

	if !slices.Equal(orig.Pending, want) {
		t.Errorf("original Pending: got %v, want %v", orig.Pending, want)
	}
	if orig.Snapshot != nil {
		t.Errorf("original Snapshot: got %+v, want nil", orig.Snapshot)
	}
	if len(clone.Pending) != 1 {
		t.Errorf("clone Pending: got %v, want 1 delta", clone.Pending)
	}
}

func TestQuoteBoardCloneIndependent(t *testing.T) {
	orig := inventory.NewQuoteBoard(testFlight(t).Market(), "Y")
	orig.Apply(quote("q1", "BA", "500.00", 10))

	clone := orig.Clone()
	clone.Apply(quote("q2", "BA", "450.00", 11))
	clone.Apply(quote("q3", "UA", "480.00", 11))

	if n := len(orig.Quotes); n != 1 {
		t.Fatalf("original Quotes: got %d, want 1", n)
	}
	if id := orig.Quotes[0].EventID; id != "q1" {
		t.Errorf("original quote: got %s, want q1", id)
	}
}
