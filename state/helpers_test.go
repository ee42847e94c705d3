package state_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/state"
	"github.com/shopspring/decimal"
)

// departure is the departure date of every test flight.
var departure = time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC)

// base is the time the test events are measured from.
var base = time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)

func hour(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

// flight returns flight FF<number> from JFK to LHR on the departure date.
func flight(number string) inventory.Flight {
	return inventory.Flight{
		Carrier:        "FF",
		Number:         number,
		Origin:         "JFK",
		Destination:    "LHR",
		Date:           departure,
		OriginTimeZone: "America/New_York",
	}
}

// market is the market-day of every flight that flight returns.
var market = flight("100").Market()

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

func snapshot(eventID string, asOf time.Time, sold int) *inventory.LoadFactor {
	return &inventory.LoadFactor{
		EventID:            eventID,
		Cabin:              "Y",
		AsOf:               asOf,
		PhysicalCapacity:   180,
		AuthorizedCapacity: 185,
		SeatsSold:          sold,
	}
}

func quote(eventID, carrier, fare string, at time.Time) *inventory.CompetitorFare {
	return &inventory.CompetitorFare{
		EventID:    eventID,
		Route:      market,
		Cabin:      "Y",
		Carrier:    carrier,
		Fare:       decimal.RequireFromString(fare),
		Currency:   "USD",
		ObservedAt: at,
		Source:     "test",
	}
}

// applyBooking books seats on the Y cabin of flight FF<number> in the open
// transaction and fails the test unless the booking is applied.
func applyBooking(t testing.TB, p *state.Partition, number string, b *inventory.Booking) {
	t.Helper()
	got, err := p.EditCabin(flight(number), "Y").ApplyBooking(b)
	if err != nil || got != inventory.Applied {
		t.Fatalf("ApplyBooking(%s): got %v, %v, want applied, nil", b.EventID, got, err)
	}
}

// applySnapshot applies a snapshot to the Y cabin of flight FF<number> in
// the open transaction and fails the test unless it is applied.
func applySnapshot(t testing.TB, p *state.Partition, number string, l *inventory.LoadFactor) {
	t.Helper()
	got, err := p.EditCabin(flight(number), "Y").ApplyLoadFactor(l)
	if err != nil || got != inventory.Applied {
		t.Fatalf("ApplyLoadFactor(%s): got %v, %v, want applied, nil", l.EventID, got, err)
	}
}

// applyQuote applies a quote to the board of the test market's Y cabin in
// the open transaction and fails the test unless it is applied.
func applyQuote(t testing.TB, p *state.Partition, q *inventory.CompetitorFare) {
	t.Helper()
	if got := p.EditBoard(q.Route, q.Cabin).Apply(q); got != inventory.Applied {
		t.Fatalf("Apply(%s): got %v, want applied", q.EventID, got)
	}
}

// canonical returns the canonical JSON of the partition's cabins and boards.
func canonical(t testing.TB, p *state.Partition) string {
	t.Helper()
	var buf bytes.Buffer
	if err := state.WriteCanonical(&buf, p.Cabins(), p.Boards()); err != nil {
		t.Fatalf("WriteCanonical: %v", err)
	}
	return buf.String()
}

// view is everything a reader can see of a partition, including what the
// canonical form leaves out: the meta record, the published sequence and
// ladder fingerprint of each cabin, and the cabin lists per market-day.
type view struct {
	canonical string
	meta      state.Meta
	sequences string
	cabinKeys string
	cabinsOf  string
}

func viewOf(t testing.TB, p *state.Partition) view {
	t.Helper()
	var sequences bytes.Buffer
	for _, c := range p.Cabins() {
		fmt.Fprintf(&sequences, "%s sequence=%d ladder=%x\n", state.CabinKey(c.Flight, c.Name), c.Sequence, c.LastLadder)
	}
	var cabinsOf bytes.Buffer
	for _, cabin := range []string{"Y", "J"} {
		fmt.Fprintf(&cabinsOf, "%s: %q\n", cabin, p.CabinsOf(market, cabin))
	}
	return view{
		canonical: canonical(t, p),
		meta:      p.Meta(),
		sequences: sequences.String(),
		cabinKeys: fmt.Sprintf("%q", p.CabinKeys()),
		cabinsOf:  cabinsOf.String(),
	}
}

// checkView fails the test for each part of got that differs from want.
func checkView(t testing.TB, got, want view) {
	t.Helper()
	if got.canonical != want.canonical {
		t.Errorf("canonical state:\ngot  %s\nwant %s", got.canonical, want.canonical)
	}
	if !got.meta.PolicyEffectiveAt.Equal(want.meta.PolicyEffectiveAt) || got.meta.PolicyVersion != want.meta.PolicyVersion {
		t.Errorf("Meta() = %+v, want %+v", got.meta, want.meta)
	}
	if got.sequences != want.sequences {
		t.Errorf("sequences:\ngot  %s\nwant %s", got.sequences, want.sequences)
	}
	if got.cabinKeys != want.cabinKeys {
		t.Errorf("CabinKeys() = %s, want %s", got.cabinKeys, want.cabinKeys)
	}
	if got.cabinsOf != want.cabinsOf {
		t.Errorf("CabinsOf:\ngot  %s\nwant %s", got.cabinsOf, want.cabinsOf)
	}
}

// committedBase returns a partition with one committed transaction: flight
// FF100 with a snapshot and a booking, flight FF200 with a booking, a quote
// and a policy version in the meta record.
func committedBase(t testing.TB) *state.Partition {
	t.Helper()
	p := state.NewPartition(3)
	applySnapshot(t, p, "100", snapshot("s1", hour(0), 40))
	applyBooking(t, p, "100", book("e1", "B1", "M", 2, hour(1)))
	p.EditCabin(flight("100"), "Y").Sequence = 4
	applyBooking(t, p, "200", book("e2", "B2", "Q", 1, hour(1)))
	applyQuote(t, p, quote("q1", "BA", "612.00", hour(1)))
	p.SetMeta(state.Meta{PolicyVersion: "v1", PolicyEffectiveAt: hour(-24)})
	p.Commit()
	return p
}
