package loadtest_test

import (
	"bytes"
	"testing"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
)

// TestMarketEventsValid applies a long synthetic stream to cabins and quote
// boards: every event must encode and apply, and sold seats must stay
// within the authorized capacity.
func TestMarketEventsValid(t *testing.T) {
	catalog, err := avro.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := loadtest.NewMarket(loadtest.DefaultMarket(3))
	cabins := map[string]*inventory.Cabin{}
	boards := map[string]*inventory.QuoteBoard{}
	for i := 0; i < 20_000; i++ {
		ev := m.Next()
		if _, err := catalog.EncodeEvent(ev); err != nil {
			t.Fatalf("event %d (%s): encode: %v", i, ev.Kind(), err)
		}
		switch e := ev.(type) {
		case *inventory.Booking:
			c := cabin(cabins, e.Flight, e.Cabin)
			if _, err := c.ApplyBooking(e); err != nil {
				t.Fatalf("event %d: booking: %v", i, err)
			}
		case *inventory.LoadFactor:
			if _, err := cabin(cabins, e.Flight, e.Cabin).ApplyLoadFactor(e); err != nil {
				t.Fatalf("event %d: snapshot: %v", i, err)
			}
			if e.SeatsSold > e.AuthorizedCapacity {
				t.Fatalf("event %d: snapshot sold %d above authorized %d", i, e.SeatsSold, e.AuthorizedCapacity)
			}
		case *inventory.CompetitorFare:
			key := e.Route.String() + "/" + e.Cabin
			if boards[key] == nil {
				boards[key] = inventory.NewQuoteBoard(e.Route, e.Cabin)
			}
			boards[key].Apply(e)
		}
	}
	if len(cabins) != m.Cabins() {
		t.Errorf("events touched %d cabins, want %d", len(cabins), m.Cabins())
	}
	if len(boards) == 0 {
		t.Error("no competitor quotes in 20,000 events")
	}
}

// TestMarketDeterministic checks that one seed always gives the same events.
func TestMarketDeterministic(t *testing.T) {
	a, b := loadtest.NewMarket(loadtest.DefaultMarket(9)), loadtest.NewMarket(loadtest.DefaultMarket(9))
	for i := 0; i < 2_000; i++ {
		x, err := avro.EventJSON(a.Next())
		if err != nil {
			t.Fatal(err)
		}
		y, err := avro.EventJSON(b.Next())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("event %d differs between two markets of seed 9:\n%s\n%s", i, x, y)
		}
	}
}

func cabin(cabins map[string]*inventory.Cabin, f inventory.Flight, name string) *inventory.Cabin {
	key := f.Key() + "/" + name
	if cabins[key] == nil {
		cabins[key] = inventory.NewCabin(f, name)
	}
	return cabins[key]
}
