package pricing

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

const pacePolicy = `
version: p1
effective_at: 2027-03-01T00:00:00Z
defaults:
  currency: USD
  exchange_rates: {GBP/USD: "1.2650"}
  pace_curve:
    - {days: 30, load_factor: "70"}
    - {days: 90, load_factor: "45"}
rules:
  - id: high-load
    when: {load_factor: {at_or_above: 50}}
    effect: {percent: "10"}
  - id: undercut
    priority: 50
    when: {competitor_gap: {between: ["0", "15"]}}
    effect: {competitor: undercut, amount: "10.00"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "100.00"
        ceiling: "2000.00"
        ladder:
          - {class: Y, fare: "900.00", protect: 20}
          - {class: B, fare: "600.00"}
`

// conditionsText is ConditionValues with its decimals as text, so a table
// can state them and a failure prints them readably.
type conditionsText struct {
	days           int
	loadFactor     string
	hasPace        bool
	pace, expected string
	seatsLeft      int
	hasCompetitor  bool
	competitorFare string
	hasGap         bool
	gap            string
}

func textOf(c ConditionValues) conditionsText {
	return conditionsText{
		days: c.DaysToDeparture, loadFactor: c.LoadFactor.String(),
		hasPace: c.HasPace, pace: c.Pace.String(), expected: c.ExpectedLoadFactor.String(),
		seatsLeft: c.SeatsLeft, hasCompetitor: c.HasCompetitor, competitorFare: c.CompetitorFare.String(),
		hasGap: c.HasCompetitorGap, gap: c.CompetitorGap.String(),
	}
}

func TestConditions(t *testing.T) {
	p := mustParse(t, pacePolicy)
	noPace := mustParse(t, competitorPolicy)
	// 12:00 in New York on 1 April, 53 days before 24 May.
	event := time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC)
	seats := func(sold int) inventory.Seats {
		return inventory.Seats{PhysicalCapacity: 100, AuthorizedCapacity: 100, SoldTotal: sold,
			SoldByClass: map[string]int{"Y": 5, "B": sold - 5}}
	}
	gbp := quoteAt("BA", "Y", "380.00", event.Add(-time.Hour))
	gbp.Currency = "GBP"
	tests := []struct {
		name      string
		policy    *Policy
		departure string
		sold      int
		quotes    []inventory.CompetitorFare
		want      conditionsText
	}{
		{
			// Expected 70 + (45 − 70) × 23/60 = 60.41666…, and pace
			// 51 / 60.41666… = 0.84413…. B runs at 600 + 10 % = 660, which is
			// 4.93 % above 629.
			"between curve points, quote in the cabin's currency",
			p, "2027-05-24", 51, []inventory.CompetitorFare{quoteAt("BA", "Y", "629.00", event.Add(-time.Hour))},
			conditionsText{53, "51", true, "0.8441", "60.42", 49, true, "629", true, "4.93"},
		},
		{
			// 380.00 GBP × 1.2650 = 480.70 USD, and 660 is 37.30 % above it.
			"quote converted",
			p, "2027-05-24", 51, []inventory.CompetitorFare{gbp},
			conditionsText{53, "51", true, "0.8441", "60.42", 49, true, "480.7", true, "37.3"},
		},
		{
			"no quote",
			p, "2027-05-24", 51, nil,
			conditionsText{53, "51", true, "0.8441", "60.42", 49, false, "0", false, "0"},
		},
		{
			"every class closed",
			p, "2027-05-24", 100, []inventory.CompetitorFare{quoteAt("BA", "Y", "629.00", event.Add(-time.Hour))},
			conditionsText{53, "100", true, "1.6552", "60.42", 0, true, "629", false, "0"},
		},
		{
			// Beyond the last point the curve is flat at 45: 51 / 45.
			"beyond the curve",
			p, "2027-08-01", 51, nil,
			conditionsText{122, "51", true, "1.1333", "45", 49, false, "0", false, "0"},
		},
		{
			// Without percent rules B runs at its base fare: 500 is 20.50 %
			// below 629.
			"no pace curve",
			noPace, "2027-05-24", 51, []inventory.CompetitorFare{quoteAt("BA", "Y", "629.00", event.Add(-time.Hour))},
			conditionsText{53, "51", false, "0", "0", 49, true, "629", true, "-20.51"},
		},
	}
	for _, tt := range tests {
		in := Input{
			Flight:    testFlight(t, "JFK-LHR", tt.departure, "America/New_York"),
			Cabin:     "Y",
			Seats:     seats(tt.sold),
			Quotes:    tt.quotes,
			EventTime: event,
		}
		c, err := Conditions(tt.policy, in)
		if err != nil {
			t.Errorf("%s: Conditions: %v", tt.name, err)
			continue
		}
		if got := textOf(c); got != tt.want {
			t.Errorf("%s: Conditions\ngot  %+v\nwant %+v", tt.name, got, tt.want)
		}
		d, err := Decide(tt.policy, in)
		if err != nil {
			t.Fatalf("%s: Decide: %v", tt.name, err)
		}
		if !c.LoadFactor.Equal(d.LoadFactor) {
			t.Errorf("%s: Conditions load factor %s, Decide %s", tt.name, c.LoadFactor, d.LoadFactor)
		}
	}
}

// The undercut rule fires exactly when the gap that Conditions returns is
// within its between [0, 15].
func TestConditionsGapMatchesDecide(t *testing.T) {
	p := mustParse(t, pacePolicy)
	event := time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC)
	for _, fare := range []string{"500.00", "573.91", "573.92", "600.00", "659.99", "660.00", "660.01", "800.00"} {
		in := Input{
			Flight:    testFlight(t, "JFK-LHR", "2027-05-24", "America/New_York"),
			Cabin:     "Y",
			Seats:     inventory.Seats{PhysicalCapacity: 100, AuthorizedCapacity: 100, SoldTotal: 51, SoldByClass: map[string]int{"B": 51}},
			Quotes:    []inventory.CompetitorFare{quoteAt("BA", "Y", fare, event.Add(-time.Hour))},
			EventTime: event,
		}
		c, err := Conditions(p, in)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decide(p, in)
		if err != nil {
			t.Fatal(err)
		}
		inRange := !c.CompetitorGap.IsNegative() && c.CompetitorGap.LessThanOrEqual(decimal.NewFromInt(15))
		fired := slices.ContainsFunc(d.Rules, func(r AppliedRule) bool { return r.RuleID == "undercut" })
		if fired != inRange {
			t.Errorf("competitor %s: gap %s%%, undercut fired %t, want %t", fare, c.CompetitorGap, fired, inRange)
		}
	}
}

func TestConditionsErrors(t *testing.T) {
	p := mustParse(t, pacePolicy)
	in := Input{Flight: testFlight(t, "JFK-CDG", "2027-05-24", "America/New_York"), Cabin: "Y"}
	if _, err := Conditions(p, in); !errors.Is(err, ErrNotCovered) {
		t.Errorf("Conditions for JFK-CDG: err = %v, want ErrNotCovered", err)
	}
	if _, err := Conditions(nil, in); err == nil {
		t.Errorf("Conditions(nil policy): err = nil, want an error")
	}
	in = Input{Flight: testFlight(t, "JFK-LHR", "2027-05-24", "America/New_York"), Cabin: "Y", Seats: inventory.Seats{SoldTotal: -1}}
	if _, err := Conditions(p, in); err == nil {
		t.Errorf("Conditions with negative seats: err = nil, want an error")
	}
}
