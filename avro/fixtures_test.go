package avro

import (
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

func mustDecimal(tb testing.TB, s string) decimal.Decimal {
	tb.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		tb.Fatalf("decimal %q: %v", s, err)
	}
	return d
}

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		tb.Fatalf("time %q: %v", s, err)
	}
	return t.UTC()
}

func newCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	c, err := NewCatalog()
	if err != nil {
		tb.Fatalf("NewCatalog: %v", err)
	}
	return c
}

func testFlight(tb testing.TB) inventory.Flight {
	return inventory.Flight{
		Carrier:        "AA",
		Number:         "100",
		Origin:         "JFK",
		Destination:    "LHR",
		Date:           mustTime(tb, "2026-12-24T00:00:00Z"),
		OriginTimeZone: "America/New_York",
	}
}

func testBooking(tb testing.TB) *inventory.Booking {
	return &inventory.Booking{
		EventID:   "b-0001",
		BookingID: "PNR123",
		Action:    inventory.ActionBook,
		Flight:    testFlight(tb),
		Cabin:     "Y",
		Class:     "Q",
		Seats:     2,
		Channel:   "web",
		Fare:      mustDecimal(tb, "450.00"),
		Currency:  "USD",
		EventTime: mustTime(tb, "2026-11-02T10:15:00.123Z"),
	}
}

func testLoadFactor(tb testing.TB) *inventory.LoadFactor {
	return &inventory.LoadFactor{
		EventID:            "lf-0001",
		Flight:             testFlight(tb),
		Cabin:              "Y",
		AsOf:               mustTime(tb, "2026-11-01T06:00:00Z"),
		PhysicalCapacity:   180,
		AuthorizedCapacity: 185,
		SeatsSold:          12,
		SoldByClass:        []inventory.ClassSeats{{Class: "Y", Seats: 2}, {Class: "Q", Seats: 10}},
		Forecast:           []inventory.ClassForecast{{Class: "Y", Mean: 4.5, StdDev: 2.1}, {Class: "Q", Mean: 30, StdDev: 0}},
	}
}

func testCompetitorFare(tb testing.TB) *inventory.CompetitorFare {
	return &inventory.CompetitorFare{
		EventID: "cf-0001",
		Route: inventory.Market{
			Origin:      "JFK",
			Destination: "LHR",
			Date:        mustTime(tb, "2026-12-24T00:00:00Z"),
		},
		Cabin:      "Y",
		Carrier:    "BA",
		Fare:       mustDecimal(tb, "432.10"),
		Currency:   "USD",
		ObservedAt: mustTime(tb, "2026-11-02T09:00:00Z"),
		Source:     "shopping-feed",
	}
}

func testDecision(tb testing.TB) *pricing.Decision {
	return &pricing.Decision{
		Flight:       testFlight(tb),
		Cabin:        "Y",
		Sequence:     7,
		OfferedClass: "Q",
		OfferedPrice: mustDecimal(tb, "455.00"),
		Currency:     "USD",
		Ladder: []pricing.ClassPrice{
			{Class: "Y", BaseFare: mustDecimal(tb, "1200.00"), Price: mustDecimal(tb, "1200.00"), Available: 9, Open: true},
			{Class: "Q", BaseFare: mustDecimal(tb, "420.00"), Price: mustDecimal(tb, "455.00"), Available: 4, Open: true},
			{Class: "V", BaseFare: mustDecimal(tb, "250.00"), Price: mustDecimal(tb, "250.00"), Available: 0, Open: false},
		},
		LoadFactor:       mustDecimal(tb, "62.50"),
		LowestCompetitor: testCompetitorFare(tb),
		Rules: []pricing.AppliedRule{
			{RuleID: "dtd-14", Class: "Q", Effect: "percent +10", Before: mustDecimal(tb, "420.00"), After: mustDecimal(tb, "462.00")},
			{RuleID: "match-ba", Class: "Q", Effect: "ceiling", Before: mustDecimal(tb, "462.00"), After: mustDecimal(tb, "455.00")},
		},
		CauseEventID:  "b-0001",
		PolicyVersion: "2026-11-01.1",
		EventTime:     mustTime(tb, "2026-11-02T10:15:00.123Z"),
	}
}

func testCabin(tb testing.TB) *inventory.Cabin {
	c := inventory.NewCabin(testFlight(tb), "Y")
	lf := testLoadFactor(tb)
	c.Snapshot = &inventory.Snapshot{
		EventID:            lf.EventID,
		AsOf:               lf.AsOf,
		PhysicalCapacity:   lf.PhysicalCapacity,
		AuthorizedCapacity: lf.AuthorizedCapacity,
		SeatsSold:          lf.SeatsSold,
		SoldByClass:        lf.SoldByClass,
		Forecast:           lf.Forecast,
	}
	c.Holdings["PNR123"] = inventory.Holding{Class: "Q", Seats: 2}
	c.Holdings["PNR007"] = inventory.Holding{Class: "Y", Seats: 1}
	c.Holdings["PNR555"] = inventory.Holding{Class: "V", Seats: 3}
	c.Settled["Q"] = 2
	c.Settled["Y"] = -1
	c.Pending = []inventory.Delta{
		{EventTime: mustTime(tb, "2026-11-02T10:15:00Z"), Class: "Q", Seats: 2},
		{EventTime: mustTime(tb, "2026-11-02T09:00:00Z"), Class: "V", Seats: -1},
	}
	for _, id := range []string{"b-0003", "b-0001", "b-0002"} {
		c.Seen[id] = struct{}{}
	}
	c.Sequence = 12
	c.LastLadder = 0xfedcba9876543210
	return c
}
