package inventory_test

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

// scenario is one booking stream and one snapshot stream of a cabin. Each
// stream is applied in its own order, as one partition of its topic would be.
type scenario struct {
	bookings  []*inventory.Booking
	snapshots []*inventory.LoadFactor
}

// finalState is everything the merge rules promise to be the same in every
// interleaving of the two streams.
type finalState struct {
	outcomes []string // outcome or error of each event: bookings, then snapshots
	seats    inventory.Seats
	snapshot inventory.Snapshot
	holdings map[string]inventory.Holding
	settled  map[string]int
	pending  []inventory.Delta // sorted, since the order of Pending follows arrival
	seen     map[string]struct{}
}

// TestInterleavingSameState applies the booking stream and the snapshot
// stream of random scenarios in many random interleavings, and checks that
// every interleaving ends in the same state.
func TestInterleavingSameState(t *testing.T) {
	const (
		scenarios    = 200
		interleaving = 100
	)
	for seed := range uint64(scenarios) {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		sc := randomScenario(rng)

		// The two extremes first: every booking before any snapshot, and
		// every snapshot before any booking.
		want := runInterleaving(t, sc, bookingsFirst(sc))
		checkSeats(t, seed, sc, want)
		orders := [][]bool{snapshotsFirst(sc)}
		for range interleaving {
			orders = append(orders, randomInterleaving(rng, sc))
		}

		for _, order := range orders {
			got := runInterleaving(t, sc, order)
			if diff := compareStates(got, want); diff != "" {
				t.Fatalf("seed %d, interleaving %s: %s\nbookings:\n%s\nsnapshots:\n%s",
					seed, describeOrder(order), diff, describeBookings(sc), describeSnapshots(sc))
			}
		}
	}
}

// randomScenario returns a random booking stream and snapshot stream. The
// booking stream mixes bookings, repeated events, rejected cancellations and
// cancellations that follow their booking in the stream but may carry an
// earlier event time. The snapshot stream mixes total-only and per-class
// snapshots in no particular as_of order, with equal as_of and repeats.
func randomScenario(rng *rand.Rand) scenario {
	classes := []string{"Y", "B", "M", "Q", "Z"} // Z is in no class order
	var sc scenario

	remaining := map[string]inventory.Holding{}
	var bookingIDs []string
	for i := range 20 + rng.IntN(40) {
		eventID := fmt.Sprintf("e%03d", i)
		at := hour(rng.IntN(48))
		switch p := rng.IntN(100); {
		case p < 45 || len(bookingIDs) == 0:
			id := fmt.Sprintf("B%03d", i)
			class := classes[rng.IntN(len(classes))]
			seats := 1 + rng.IntN(4)
			sc.bookings = append(sc.bookings, book(eventID, id, class, seats, at))
			remaining[id] = inventory.Holding{Class: class, Seats: seats}
			bookingIDs = append(bookingIDs, id)
		case p < 80:
			id := bookingIDs[rng.IntN(len(bookingIDs))]
			h, ok := remaining[id]
			if !ok || h.Seats == 0 {
				// Every seat was released already: the cancellation is
				// rejected as of an unknown booking.
				sc.bookings = append(sc.bookings, cancel(eventID, id, "Y", 1, at))
				continue
			}
			seats := 1 + rng.IntN(h.Seats)
			sc.bookings = append(sc.bookings, cancel(eventID, id, h.Class, seats, at))
			remaining[id] = inventory.Holding{Class: h.Class, Seats: h.Seats - seats}
		case p < 90:
			repeat := *sc.bookings[rng.IntN(len(sc.bookings))]
			sc.bookings = append(sc.bookings, &repeat)
		default:
			// Cancels more than the booking holds, or names another class.
			id := bookingIDs[rng.IntN(len(bookingIDs))]
			h := remaining[id]
			if rng.IntN(2) == 0 {
				sc.bookings = append(sc.bookings, cancel(eventID, id, h.Class, h.Seats+1, at))
				continue
			}
			other := "Y"
			if h.Class == "Y" {
				other = "B"
			}
			sc.bookings = append(sc.bookings, cancel(eventID, id, other, 1, at))
		}
	}

	// Event ids are unique, but their order is not the order of as_of.
	ids := rng.Perm(100)
	for i := range 1 + rng.IntN(8) {
		eventID := fmt.Sprintf("s%02d", ids[i])
		switch p := rng.IntN(100); {
		case p < 15 && i > 0:
			repeat := *sc.snapshots[rng.IntN(len(sc.snapshots))]
			sc.snapshots = append(sc.snapshots, &repeat)
		case p < 30 && i > 0:
			// Another snapshot at the as_of of an earlier one.
			tied := randomSnapshot(rng, eventID, classes)
			tied.AsOf = sc.snapshots[rng.IntN(len(sc.snapshots))].AsOf
			sc.snapshots = append(sc.snapshots, tied)
		default:
			sc.snapshots = append(sc.snapshots, randomSnapshot(rng, eventID, classes))
		}
	}
	return sc
}

func randomSnapshot(rng *rand.Rand, eventID string, classes []string) *inventory.LoadFactor {
	at := hour(rng.IntN(48))
	if rng.IntN(2) == 0 {
		return totalSnapshot(eventID, at, rng.IntN(40))
	}

	var byClass []inventory.ClassSeats
	for _, class := range classes {
		if rng.IntN(3) > 0 {
			byClass = append(byClass, cs(class, rng.IntN(10)))
		}
	}
	if byClass == nil {
		byClass = []inventory.ClassSeats{} // per class, with no seat sold
	}
	l := classSnapshot(eventID, at, byClass...)
	if rng.IntN(2) == 0 {
		l.Forecast = []inventory.ClassForecast{{Class: "Y", Mean: float64(rng.IntN(20)), StdDev: 2}}
	}
	return l
}

// randomInterleaving returns a uniformly random merge of the two streams:
// true takes the next booking event, false the next snapshot.
func randomInterleaving(rng *rand.Rand, sc scenario) []bool {
	order := make([]bool, 0, len(sc.bookings)+len(sc.snapshots))
	bookings, snapshots := len(sc.bookings), len(sc.snapshots)
	for bookings+snapshots > 0 {
		takeBooking := rng.IntN(bookings+snapshots) < bookings
		if takeBooking {
			bookings--
		} else {
			snapshots--
		}
		order = append(order, takeBooking)
	}
	return order
}

func bookingsFirst(sc scenario) []bool {
	order := make([]bool, len(sc.bookings)+len(sc.snapshots))
	for i := range sc.bookings {
		order[i] = true
	}
	return order
}

func snapshotsFirst(sc scenario) []bool {
	order := make([]bool, len(sc.bookings)+len(sc.snapshots))
	for i := range sc.bookings {
		order[len(sc.snapshots)+i] = true
	}
	return order
}

// runInterleaving applies the scenario's events in the given interleaving to
// a new cabin and returns its final state.
func runInterleaving(t testing.TB, sc scenario, order []bool) finalState {
	t.Helper()
	c := newCabin(t)
	outcomes := make([]string, len(sc.bookings)+len(sc.snapshots))
	nextBooking, nextSnapshot := 0, 0
	for _, takeBooking := range order {
		if takeBooking {
			got, err := c.ApplyBooking(sc.bookings[nextBooking])
			outcomes[nextBooking] = describeOutcome(got, err)
			nextBooking++
			continue
		}
		got, err := c.ApplyLoadFactor(sc.snapshots[nextSnapshot])
		outcomes[len(sc.bookings)+nextSnapshot] = describeOutcome(got, err)
		nextSnapshot++
	}

	s := seats(t, c)
	pending := slices.Clone(c.Pending)
	slices.SortFunc(pending, func(a, b inventory.Delta) int {
		return cmp.Or(a.EventTime.Compare(b.EventTime), cmp.Compare(a.Class, b.Class), cmp.Compare(a.Seats, b.Seats))
	})
	return finalState{
		outcomes: outcomes,
		seats:    s,
		snapshot: *c.Snapshot,
		holdings: c.Holdings,
		settled:  c.Settled,
		pending:  pending,
		seen:     c.Seen,
	}
}

func describeOutcome(o inventory.Outcome, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return o.String()
}

// compareStates returns what differs between got and want, or "" when the
// states are equal.
func compareStates(got, want finalState) string {
	switch {
	case !slices.Equal(got.outcomes, want.outcomes):
		return fmt.Sprintf("outcomes: got %v, want %v", got.outcomes, want.outcomes)
	case !reflect.DeepEqual(got.seats, want.seats):
		return fmt.Sprintf("Seats: got %+v, want %+v", got.seats, want.seats)
	case !reflect.DeepEqual(got.snapshot, want.snapshot):
		return fmt.Sprintf("Snapshot: got %+v, want %+v", got.snapshot, want.snapshot)
	case !maps.Equal(got.holdings, want.holdings):
		return fmt.Sprintf("Holdings: got %v, want %v", got.holdings, want.holdings)
	case !maps.Equal(got.settled, want.settled):
		return fmt.Sprintf("Settled: got %v, want %v", got.settled, want.settled)
	case !slices.Equal(got.pending, want.pending):
		return fmt.Sprintf("Pending: got %v, want %v", got.pending, want.pending)
	case !maps.Equal(got.seen, want.seen):
		return fmt.Sprintf("Seen: got %v, want %v", got.seen, want.seen)
	}
	return ""
}

// checkSeats checks the merged seats against values computed directly from
// the events. SoldTotal must be the newest snapshot's total plus the applied
// deltas after its as_of, but not below 0. The per-class counts must not be
// negative and must add up to SoldTotal.
func checkSeats(t *testing.T, seed uint64, sc scenario, st finalState) {
	t.Helper()
	newest := sc.snapshots[0]
	for _, l := range sc.snapshots[1:] {
		if l.AsOf.After(newest.AsOf) || (l.AsOf.Equal(newest.AsOf) && l.EventID > newest.EventID) {
			newest = l
		}
	}
	if st.snapshot.EventID != newest.EventID {
		t.Errorf("seed %d: snapshot: got %s, want %s", seed, st.snapshot.EventID, newest.EventID)
	}

	total := newest.SeatsSold
	for i, b := range sc.bookings {
		if st.outcomes[i] != inventory.Applied.String() || !b.EventTime.After(newest.AsOf) {
			continue
		}
		if b.Action == inventory.ActionBook {
			total += b.Seats
		} else {
			total -= b.Seats
		}
	}
	if want := max(total, 0); st.seats.SoldTotal != want {
		t.Errorf("seed %d: SoldTotal: got %d, want %d", seed, st.seats.SoldTotal, want)
	}
	if got := sum(st.seats.SoldByClass); got != st.seats.SoldTotal {
		t.Errorf("seed %d: sum of SoldByClass %v: got %d, want SoldTotal %d", seed, st.seats.SoldByClass, got, st.seats.SoldTotal)
	}
	for class, n := range st.seats.SoldByClass {
		if n < 0 {
			t.Errorf("seed %d: SoldByClass[%s]: got %d, want 0 or more", seed, class, n)
		}
	}
}

func describeOrder(order []bool) string {
	b := make([]byte, len(order))
	for i, takeBooking := range order {
		b[i] = 'S'
		if takeBooking {
			b[i] = 'b'
		}
	}
	return string(b)
}

func describeBookings(sc scenario) string {
	var out []byte
	for _, b := range sc.bookings {
		out = fmt.Appendf(out, "  %s %s %s %s %d at %s\n", b.EventID, b.Action, b.BookingID, b.Class, b.Seats, b.EventTime.Format("02T15"))
	}
	return string(out)
}

func describeSnapshots(sc scenario) string {
	var out []byte
	for _, l := range sc.snapshots {
		out = fmt.Appendf(out, "  %s as_of %s sold %d by class %v\n", l.EventID, l.AsOf.Format("02T15"), l.SeatsSold, l.SoldByClass)
	}
	return string(out)
}
