package pricing

import (
	"errors"
	"hash/fnv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

const competitorPolicy = `
version: c1
effective_at: 2027-03-01T00:00:00Z
defaults: {currency: USD, max_quote_age: 24h}
rules:
  - id: undercut
    priority: 50
    effect: {competitor: undercut, amount: "10.00"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "100.00"
        ceiling: "2000.00"
        ladder:
          - {class: Y, fare: "900.00"}
          - {class: B, fare: "500.00"}
`

func testFlight(t testing.TB, route, date, zone string) inventory.Flight {
	t.Helper()
	origin, destination, _ := strings.Cut(route, "-")
	d, err := inventory.ParseDate(date)
	if err != nil {
		t.Fatal(err)
	}
	return inventory.Flight{Carrier: "AA", Number: "100", Origin: origin, Destination: destination, Date: d, OriginTimeZone: zone}
}

func quoteAt(carrier, cabin, fare string, observed time.Time) inventory.CompetitorFare {
	return inventory.CompetitorFare{EventID: "q-" + carrier, Carrier: carrier, Cabin: cabin, Fare: decimal.RequireFromString(fare), Currency: "USD", ObservedAt: observed}
}

func TestDecideNotCovered(t *testing.T) {
	p := mustParse(t, competitorPolicy)
	in := Input{Flight: testFlight(t, "JFK-CDG", "2027-05-01", "America/New_York"), Cabin: "Y"}
	_, err := Decide(p, in)
	if !errors.Is(err, ErrNotCovered) {
		t.Fatalf("Decide for JFK-CDG: err = %v, want ErrNotCovered", err)
	}
	if !strings.Contains(err.Error(), "market=JFK-CDG/2027-05-01") || !strings.Contains(err.Error(), "cabin=Y") {
		t.Errorf("error %q does not name the market and cabin", err)
	}
}

func TestDecideRejectsBadInput(t *testing.T) {
	p := mustParse(t, competitorPolicy)
	flight := testFlight(t, "JFK-LHR", "2027-05-01", "America/New_York")
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"negative sold", Input{Flight: flight, Cabin: "Y", Seats: inventory.Seats{SoldTotal: -1}}, "invalid seats sold -1"},
		{"negative authorized", Input{Flight: flight, Cabin: "Y", Seats: inventory.Seats{AuthorizedCapacity: -5}}, "invalid authorized capacity -5"},
		{"unknown zone", Input{Flight: testFlight(t, "JFK-LHR", "2027-05-01", "Mars/Olympus"), Cabin: "Y"}, "invalid time zone"},
	}
	for _, tt := range tests {
		if _, err := Decide(p, tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Decide error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := Decide(nil, Input{}); err == nil {
		t.Errorf("Decide(nil policy): got nil error, want one")
	}
}

func TestDecideCopiesIdentity(t *testing.T) {
	p := mustParse(t, competitorPolicy)
	event := time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC)
	in := Input{
		Flight:       testFlight(t, "JFK-LHR", "2027-05-01", "America/New_York"),
		Cabin:        "Y",
		Seats:        inventory.Seats{PhysicalCapacity: 3, AuthorizedCapacity: 3, SoldTotal: 1},
		EventTime:    event,
		CauseEventID: "evt-42",
	}
	d, err := Decide(p, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.CauseEventID != "evt-42" || d.PolicyVersion != "c1" || !d.EventTime.Equal(event) || d.Currency != "USD" || d.Cabin != "Y" || d.Sequence != 0 {
		t.Errorf("decision identity = cause %q version %q time %v currency %q cabin %q sequence %d, want evt-42 c1 %v USD Y 0",
			d.CauseEventID, d.PolicyVersion, d.EventTime, d.Currency, d.Cabin, d.Sequence, event)
	}
	if want := decimal.RequireFromString("33.33"); !d.LoadFactor.Equal(want) {
		t.Errorf("load factor of 1 in 3 = %s, want %s", d.LoadFactor, want)
	}
}

func TestDecideLoadFactorRounding(t *testing.T) {
	tests := []struct {
		sold, physical int
		want           string
	}{
		{2, 3, "66.67"},
		{1, 8, "12.5"},
		{1, 16, "6.25"},
		{1, 32, "3.13"}, // 3.125 rounds half up
		{0, 0, "0"},
		{186, 180, "103.33"},
	}
	for _, tt := range tests {
		got := fromUnits(loadFactorUnits(inventory.Seats{SoldTotal: tt.sold, PhysicalCapacity: tt.physical}), 2)
		if !got.Equal(decimal.RequireFromString(tt.want)) {
			t.Errorf("loadFactor(%d sold of %d) = %s, want %s", tt.sold, tt.physical, got, tt.want)
		}
	}
}

// Quote validity: age within the maximum measured from the event, the
// cabin's own quotes only, a fare above zero.
func TestDecideQuoteValidity(t *testing.T) {
	p := mustParse(t, competitorPolicy)
	event := time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		quotes      []inventory.CompetitorFare
		wantCarrier string
		wantPrice   string
	}{
		{"no quotes", nil, "", "500.00"},
		{"exactly max age", []inventory.CompetitorFare{quoteAt("BA", "Y", "450.00", event.Add(-24*time.Hour))}, "BA", "440.00"},
		{"just over max age", []inventory.CompetitorFare{quoteAt("BA", "Y", "450.00", event.Add(-24*time.Hour-time.Second))}, "", "500.00"},
		{"observed after the event", []inventory.CompetitorFare{quoteAt("BA", "Y", "450.00", event.Add(time.Hour))}, "BA", "440.00"},
		{"other cabin ignored", []inventory.CompetitorFare{quoteAt("BA", "J", "150.00", event)}, "", "500.00"},
		{"lowest wins", []inventory.CompetitorFare{quoteAt("VS", "Y", "460.00", event), quoteAt("BA", "Y", "450.00", event)}, "BA", "440.00"},
		{"tie goes to first carrier", []inventory.CompetitorFare{quoteAt("VS", "Y", "450.00", event), quoteAt("BA", "Y", "450.00", event)}, "BA", "440.00"},
		{"zero fare ignored", []inventory.CompetitorFare{quoteAt("XX", "Y", "0", event)}, "", "500.00"},
	}
	for _, tt := range tests {
		in := Input{
			Flight:    testFlight(t, "JFK-LHR", "2027-05-01", "America/New_York"),
			Cabin:     "Y",
			Seats:     inventory.Seats{PhysicalCapacity: 100, AuthorizedCapacity: 100},
			Quotes:    tt.quotes,
			EventTime: event,
		}
		d, err := Decide(p, in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := ""
		if d.LowestCompetitor != nil {
			got = d.LowestCompetitor.Carrier
		}
		if got != tt.wantCarrier {
			t.Errorf("%s: lowest competitor = %q, want %q", tt.name, got, tt.wantCarrier)
		}
		if !d.OfferedPrice.Equal(decimal.RequireFromString(tt.wantPrice)) {
			t.Errorf("%s: offered price = %s, want %s", tt.name, d.OfferedPrice, tt.wantPrice)
		}
		if !d.Ladder[0].Price.Equal(decimal.RequireFromString("900.00")) {
			t.Errorf("%s: class Y price = %s, want 900.00 (competitor rules touch the offered class only)", tt.name, d.Ladder[0].Price)
		}
	}
}

// Seats sold in a class the ladder lacks count in the total only.
func TestDecideUnknownClassCountsInTotal(t *testing.T) {
	p := mustParse(t, basePolicy)
	in := Input{
		Flight: testFlight(t, "JFK-LHR", "2027-05-01", "America/New_York"),
		Cabin:  "Y",
		Seats: inventory.Seats{
			PhysicalCapacity: 50, AuthorizedCapacity: 50, SoldTotal: 45,
			SoldByClass: map[string]int{"Y": 2, "X": 43},
		},
		EventTime: time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC),
	}
	d, err := Decide(p, in)
	if err != nil {
		t.Fatal(err)
	}
	// R = 50 - 45 = 5; y_1 = 10 - 2 = 8 >= 5, so B is closed.
	if d.Ladder[0].Available != 5 || d.Ladder[1].Available != 0 || d.OfferedClass != "Y" {
		t.Errorf("availability Y %d, B %d, offered %q; want 5, 0, Y", d.Ladder[0].Available, d.Ladder[1].Available, d.OfferedClass)
	}
}

// Days are counted on calendar dates at the origin, not in 24-hour periods.
func TestDaysToDepartureCalendarDates(t *testing.T) {
	tests := []struct {
		name  string
		route string
		date  string
		zone  string
		event time.Time
		want  int
	}{
		{"Tokyo already the next day", "NRT-LAX", "2027-03-10", "Asia/Tokyo", time.Date(2027, 3, 9, 23, 30, 0, 0, time.UTC), 0},
		{"Berlin across summer time", "BER-JFK", "2027-04-05", "Europe/Berlin", time.Date(2027, 3, 20, 12, 0, 0, 0, time.FixedZone("CET", 3600)), 16},
		{"Berlin after local midnight", "BER-JFK", "2027-04-05", "Europe/Berlin", time.Date(2027, 3, 20, 23, 30, 0, 0, time.UTC), 15},
	}
	for _, tt := range tests {
		f := testFlight(t, tt.route, tt.date, tt.zone)
		got, err := f.DaysToDeparture(tt.event)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: DaysToDeparture(%v) = %d, want %d", tt.name, tt.event, got, tt.want)
		}
	}
}

// Decide uses the calendar-date count: a rule for departure day fires for a
// Tokyo flight priced at 23:30 UTC the day before.
func TestDecideDaysInOriginZone(t *testing.T) {
	const policy = `
version: d1
effective_at: 2027-03-01T00:00:00Z
defaults: {currency: JPY}
markets:
  - route: NRT-LAX
    cabins:
      Y:
        floor: "10000"
        ceiling: "900000"
        ladder: [{class: Y, fare: "100000"}]
        rules:
          - id: day-of-departure
            when: {days_to_departure: {at_or_below: 0}}
            effect: {percent: "10"}
`
	p := mustParse(t, policy)
	in := Input{
		Flight:    testFlight(t, "NRT-LAX", "2027-03-10", "Asia/Tokyo"),
		Cabin:     "Y",
		Seats:     inventory.Seats{PhysicalCapacity: 10, AuthorizedCapacity: 10},
		EventTime: time.Date(2027, 3, 9, 23, 30, 0, 0, time.UTC),
	}
	d, err := Decide(p, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := decimal.NewFromInt(110000); !d.OfferedPrice.Equal(want) {
		t.Errorf("offered price = %s, want %s (0 days to departure in Tokyo)", d.OfferedPrice, want)
	}
}

func TestLadderFingerprint(t *testing.T) {
	base := Decision{
		OfferedClass: "B",
		Currency:     "USD",
		Ladder: []ClassPrice{
			{Class: "Y", Price: decimal.RequireFromString("900.00"), Available: 10, Open: true},
			{Class: "B", Price: decimal.RequireFromString("500.00"), Available: 4, Open: true},
		},
	}
	// A fixed value catches a hash that depends on the process, such as a
	// random seed, or that changed by accident.
	const want uint64 = 0x0a8138d6ff57d170
	got := base.LadderFingerprint()
	if got != want {
		t.Errorf("LadderFingerprint() = %#x, want %#x; update want only if the hashed fields changed on purpose", got, want)
	}

	same := base
	same.Ladder = []ClassPrice{
		{Class: "Y", Price: decimal.RequireFromString("900"), Available: 10, Open: true},
		{Class: "B", Price: decimal.RequireFromString("500.0"), Available: 4, Open: true},
	}
	same.LoadFactor = decimal.NewFromInt(50)
	same.CauseEventID = "other"
	if same.LadderFingerprint() != got {
		t.Errorf("fingerprint changed with equal prices and fields outside the ladder")
	}

	changes := map[string]func(d *Decision){
		"offered class": func(d *Decision) { d.OfferedClass = "Y" },
		"currency":      func(d *Decision) { d.Currency = "EUR" },
		"price":         func(d *Decision) { d.Ladder[1].Price = decimal.RequireFromString("500.01") },
		"availability":  func(d *Decision) { d.Ladder[1].Available = 3 },
		"open flag":     func(d *Decision) { d.Ladder[1].Open = false },
		"class":         func(d *Decision) { d.Ladder[1].Class = "M" },
	}
	for name, change := range changes {
		d := base
		d.Ladder = append([]ClassPrice(nil), base.Ladder...)
		change(&d)
		if d.LadderFingerprint() == got {
			t.Errorf("fingerprint did not change with the %s", name)
		}
	}
}

// A Policy is read-only after parsing, so goroutines may share it; run
// with -race to check.
func TestDecideConcurrentUse(t *testing.T) {
	p := mustParse(t, stressPolicy)
	in := benchInput(t, true)
	want, err := Decide(p, in)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]uint64, 8)
	for i := range results {
		wg.Go(func() {
			d, err := Decide(p, in)
			if err == nil {
				results[i] = d.LadderFingerprint()
			}
		})
	}
	wg.Wait()
	for i, got := range results {
		if got != want.LadderFingerprint() {
			t.Errorf("goroutine %d: fingerprint %#x, want %#x", i, got, want.LadderFingerprint())
		}
	}
}

func TestLadderFingerprintMatchesHashFNV(t *testing.T) {
	h := fnv.New64a()
	h.Write([]byte("fareflow"))
	var mine = fnvOffset
	for _, b := range []byte("fareflow") {
		mine.writeByte(b)
	}
	if uint64(mine) != h.Sum64() {
		t.Errorf("fnv64a = %#x, want hash/fnv's %#x", uint64(mine), h.Sum64())
	}
}
