package avro

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
)

func TestEventRoundTrip(t *testing.T) {
	c := newCatalog(t)
	promo := "XMAS10"
	withPromo := testBooking(t)
	withPromo.PromoCode = &promo
	cancel := testBooking(t)
	cancel.Action = inventory.ActionCancel
	cancel.EventID = "b-0002"
	totalOnly := testLoadFactor(t)
	totalOnly.SoldByClass, totalOnly.Forecast = nil, nil
	emptyForecast := testLoadFactor(t)
	emptyForecast.Forecast = []inventory.ClassForecast{}

	cases := map[string]inventory.Event{
		"booking":            testBooking(t),
		"booking with promo": withPromo,
		"cancellation":       cancel,
		"load factor":        testLoadFactor(t),
		"total-only":         totalOnly,
		"empty forecast":     emptyForecast,
		"competitor fare":    testCompetitorFare(t),
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			record, err := c.EncodeEvent(want)
			if err != nil {
				t.Fatalf("EncodeEvent: %v", err)
			}
			got, err := c.DecodeEvent(record)
			if err != nil {
				t.Fatalf("DecodeEvent: %v", err)
			}
			assertEventsEqual(t, got, want)
		})
	}
}

// assertEventsEqual compares events field by field, amounts with Equal,
// since a decoded decimal carries the schema's scale.
func assertEventsEqual(t *testing.T, got, want inventory.Event) {
	t.Helper()
	if got.Kind() != want.Kind() {
		t.Fatalf("kind = %v, want %v", got.Kind(), want.Kind())
	}
	switch want := want.(type) {
	case *inventory.Booking:
		g := *got.(*inventory.Booking)
		if !g.Fare.Equal(want.Fare) {
			t.Errorf("fare = %s, want %s", g.Fare, want.Fare)
		}
		g.Fare = want.Fare
		if !reflect.DeepEqual(&g, want) {
			t.Errorf("booking = %+v, want %+v", g, *want)
		}
	case *inventory.LoadFactor:
		if !reflect.DeepEqual(got, want) {
			t.Errorf("load factor = %+v, want %+v", got, want)
		}
	case *inventory.CompetitorFare:
		g := *got.(*inventory.CompetitorFare)
		if !g.Fare.Equal(want.Fare) {
			t.Errorf("fare = %s, want %s", g.Fare, want.Fare)
		}
		g.Fare = want.Fare
		if !reflect.DeepEqual(&g, want) {
			t.Errorf("competitor fare = %+v, want %+v", g, *want)
		}
	}
}

func TestDecisionRoundTrip(t *testing.T) {
	c := newCatalog(t)
	closed := testDecision(t)
	closed.OfferedClass, closed.OfferedPrice = "", closed.OfferedPrice.Sub(closed.OfferedPrice)
	closed.LowestCompetitor, closed.Ladder, closed.Rules = nil, nil, nil
	freeSeat := testDecision(t)
	freeSeat.OfferedPrice = mustDecimal(t, "0")

	for name, want := range map[string]*pricing.Decision{"full": testDecision(t), "closed": closed, "zero price": freeSeat} {
		t.Run(name, func(t *testing.T) {
			record, err := c.EncodeDecision(want)
			if err != nil {
				t.Fatalf("EncodeDecision: %v", err)
			}
			got, err := c.DecodeDecision(record)
			if err != nil {
				t.Fatalf("DecodeDecision: %v", err)
			}
			assertDecisionsEqual(t, got, want)
		})
	}
}

func assertDecisionsEqual(t *testing.T, got, want *pricing.Decision) {
	t.Helper()
	if got.OfferedClass != want.OfferedClass {
		t.Errorf("offered class = %q, want %q", got.OfferedClass, want.OfferedClass)
	}
	if !got.OfferedPrice.Equal(want.OfferedPrice) {
		t.Errorf("offered price = %s, want %s", got.OfferedPrice, want.OfferedPrice)
	}
	if !got.LoadFactor.Equal(want.LoadFactor) {
		t.Errorf("load factor = %s, want %s", got.LoadFactor, want.LoadFactor)
	}
	if len(got.Ladder) != len(want.Ladder) || len(got.Rules) != len(want.Rules) {
		t.Fatalf("ladder and rules = %d and %d entries, want %d and %d", len(got.Ladder), len(got.Rules), len(want.Ladder), len(want.Rules))
	}
	for i := range want.Ladder {
		g, w := got.Ladder[i], want.Ladder[i]
		if g.Class != w.Class || !g.BaseFare.Equal(w.BaseFare) || !g.Price.Equal(w.Price) || g.Available != w.Available || g.Open != w.Open {
			t.Errorf("ladder[%d] = %+v, want %+v", i, g, w)
		}
	}
	for i := range want.Rules {
		g, w := got.Rules[i], want.Rules[i]
		if g.RuleID != w.RuleID || g.Class != w.Class || g.Effect != w.Effect || !g.Before.Equal(w.Before) || !g.After.Equal(w.After) {
			t.Errorf("rules[%d] = %+v, want %+v", i, g, w)
		}
	}
	if (got.LowestCompetitor == nil) != (want.LowestCompetitor == nil) {
		t.Fatalf("lowest competitor = %v, want %v", got.LowestCompetitor, want.LowestCompetitor)
	}
	if want.LowestCompetitor != nil {
		assertEventsEqual(t, got.LowestCompetitor, want.LowestCompetitor)
	}
	if got.Flight != want.Flight || got.Cabin != want.Cabin || got.Sequence != want.Sequence || got.Currency != want.Currency ||
		got.CauseEventID != want.CauseEventID || got.PolicyVersion != want.PolicyVersion || !got.EventTime.Equal(want.EventTime) {
		t.Errorf("decision = %+v, want %+v", got, want)
	}
}

func TestStateRoundTrip(t *testing.T) {
	c := newCatalog(t)
	board := &inventory.QuoteBoard{Route: testCompetitorFare(t).Route, Cabin: "Y", Quotes: []inventory.CompetitorFare{*testCompetitorFare(t)}}
	meta := &PartitionMeta{PolicyVersion: "2026-11-01.1", PolicyEffectiveAt: mustTime(t, "2026-11-01T00:00:00Z")}

	for name, want := range map[string]StateRecord{
		"cabin":       {Cabin: testCabin(t)},
		"empty cabin": {Cabin: inventory.NewCabin(testFlight(t), "J")},
		"quotes":      {Quotes: board},
		"meta":        {Meta: meta},
	} {
		t.Run(name, func(t *testing.T) {
			record, err := c.EncodeState(want)
			if err != nil {
				t.Fatalf("EncodeState: %v", err)
			}
			got, err := c.DecodeState(record)
			if err != nil {
				t.Fatalf("DecodeState: %v", err)
			}
			if want.Quotes != nil {
				if !got.Quotes.Quotes[0].Fare.Equal(want.Quotes.Quotes[0].Fare) {
					t.Errorf("quote fare = %s, want %s", got.Quotes.Quotes[0].Fare, want.Quotes.Quotes[0].Fare)
				}
				got.Quotes.Quotes[0].Fare = want.Quotes.Quotes[0].Fare
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("state = %+v, want %+v", got, want)
			}
		})
	}
}

func TestStateEncodingDeterministic(t *testing.T) {
	c := newCatalog(t)
	first, err := c.EncodeState(StateRecord{Cabin: testCabin(t)})
	if err != nil {
		t.Fatalf("EncodeState: %v", err)
	}
	// Map iteration order is random, so many encodings exercise many orders.
	for range 50 {
		again, err := c.EncodeState(StateRecord{Cabin: testCabin(t)})
		if err != nil {
			t.Fatalf("EncodeState: %v", err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("encodings differ:\n%x\n%x", again, first)
		}
	}
}

func TestStateRequiresOneField(t *testing.T) {
	c := newCatalog(t)
	meta := &PartitionMeta{PolicyVersion: "v1", PolicyEffectiveAt: mustTime(t, "2026-11-01T00:00:00Z")}
	for name, s := range map[string]StateRecord{
		"none": {},
		"two":  {Cabin: testCabin(t), Meta: meta},
	} {
		if _, err := c.EncodeState(s); !errors.Is(err, ErrInvalidRecord) {
			t.Errorf("%s: EncodeState error = %v, want ErrInvalidRecord", name, err)
		}
	}
}

func TestDecodedCabinMapsWritable(t *testing.T) {
	c := newCatalog(t)
	empty := &inventory.Cabin{Flight: testFlight(t), Name: "Y"}
	record, err := c.EncodeState(StateRecord{Cabin: empty})
	if err != nil {
		t.Fatalf("EncodeState: %v", err)
	}
	got, err := c.DecodeState(record)
	if err != nil {
		t.Fatalf("DecodeState: %v", err)
	}
	if got.Cabin.Holdings == nil || got.Cabin.Settled == nil || got.Cabin.Seen == nil {
		t.Errorf("decoded maps = %v, %v, %v, want all non-nil", got.Cabin.Holdings, got.Cabin.Settled, got.Cabin.Seen)
	}
}

func TestCatalogConcurrentUse(t *testing.T) {
	c := newCatalog(t)
	record, err := c.EncodeEvent(testBooking(t))
	if err != nil {
		t.Fatalf("EncodeEvent: %v", err)
	}
	done := make(chan error)
	for range 8 {
		go func() {
			for range 200 {
				if _, err := c.DecodeEvent(record); err != nil {
					done <- err
					return
				}
				if _, err := c.EncodeDecision(testDecision(t)); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Errorf("concurrent use: %v", err)
		}
	}
}
