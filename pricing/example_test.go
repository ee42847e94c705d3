package pricing_test

import (
	"fmt"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

func Example() {
	policy, err := pricing.ParsePolicy([]byte(`
version: "2027-03-01.1"
effective_at: 2027-03-01T00:00:00Z
defaults:
  currency: USD
  price_points: {step: "10", offset: "9"}
rules:
  - id: high-load
    when: {load_factor: {at_or_above: 75}}
    effect: {percent: "10"}
  - id: undercut
    priority: 50
    effect: {competitor: undercut, amount: "10.00"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "149.00"
        ceiling: "1999.00"
        ladder:
          - {class: Y, fare: "900.00", protect: 20}
          - {class: B, fare: "600.00", protect: 50}
          - {class: M, fare: "400.00"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}

	departure, _ := inventory.ParseDate("2027-05-01")
	now := time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC)
	d, err := pricing.Decide(policy, pricing.Input{
		Flight: inventory.Flight{
			Carrier: "AA", Number: "100", Origin: "JFK", Destination: "LHR",
			Date: departure, OriginTimeZone: "America/New_York",
		},
		Cabin: "Y",
		Seats: inventory.Seats{
			PhysicalCapacity: 100, AuthorizedCapacity: 100, SoldTotal: 80,
			SoldByClass: map[string]int{"Y": 5, "B": 15, "M": 60},
		},
		Quotes: []inventory.CompetitorFare{{
			Carrier: "BA", Cabin: "Y", Fare: decimal.RequireFromString("629.00"),
			Currency: "USD", ObservedAt: now.Add(-2 * time.Hour),
		}},
		EventTime:    now,
		CauseEventID: "booking-1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	fmt.Printf("offered %s at %s %s, load factor %s%%\n",
		d.OfferedClass, pricing.FormatAmount(d.OfferedPrice, d.Currency), d.Currency, d.LoadFactor.StringFixed(2))
	for _, c := range d.Ladder {
		fmt.Printf("%s %8s  %2d available\n", c.Class, pricing.FormatAmount(c.Price, d.Currency), c.Available)
	}
	for _, r := range d.Rules {
		fmt.Printf("%s %-11s %-24s %s -> %s\n", r.Class, r.RuleID, r.Effect, r.Before, r.After)
	}
	// Output:
	// offered B at 619.00 USD, load factor 80.00%
	// Y   989.00  20 available
	// B   619.00   5 available
	// M   439.00   0 available
	// Y high-load   percent +10              900 -> 990
	// Y price_point snap nearest             990 -> 989
	// B high-load   percent +10              600 -> 660
	// B undercut    undercut 10.00 vs 629.00 660 -> 619
	// M high-load   percent +10              400 -> 440
	// M price_point snap nearest             440 -> 439
}

func ExampleExplainWith() {
	policy, err := pricing.ParsePolicy([]byte(`
version: "2027-03-01.1"
effective_at: 2027-03-01T00:00:00Z
defaults:
  currency: USD
  exchange_rates: {GBP/USD: "1.2650"}
  pace_curve:
    - {days: 30, load_factor: "70"}
    - {days: 90, load_factor: "45"}
rules:
  - id: behind-pace
    when: {pace: {at_or_below: "0.90"}}
    effect: {percent: "-7.5"}
  - id: undercut
    priority: 50
    when: {competitor_gap: {between: ["0", "15"]}}
    effect: {competitor: undercut, amount: "10.00"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "149.00"
        ceiling: "1999.00"
        ladder:
          - {class: Y, fare: "900.00", protect: 20}
          - {class: B, fare: "600.00"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}

	departure, _ := inventory.ParseDate("2027-05-24")
	now := time.Date(2027, 4, 1, 16, 0, 0, 125_000_000, time.UTC)
	in := pricing.Input{
		Flight: inventory.Flight{
			Carrier: "AA", Number: "100", Origin: "JFK", Destination: "LHR",
			Date: departure, OriginTimeZone: "America/New_York",
		},
		Cabin: "Y",
		Seats: inventory.Seats{
			PhysicalCapacity: 100, AuthorizedCapacity: 100, SoldTotal: 51,
			SoldByClass: map[string]int{"Y": 5, "B": 46},
		},
		Quotes: []inventory.CompetitorFare{{
			Carrier: "BA", Cabin: "Y", Fare: decimal.RequireFromString("420.00"),
			Currency: "GBP", ObservedAt: now.Add(-2 * time.Hour),
		}},
		EventTime:    now,
		CauseEventID: "booking-1",
	}
	d, err := pricing.Decide(policy, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := pricing.Conditions(policy, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(pricing.ExplainWith(&d, c))
	// Output:
	// AA100/2027-05-24/JFK cabin Y  seq 0  policy 2027-03-01.1  cause booking-1 at 2027-04-01T16:00:00.125Z
	//   offered B at 521.30 USD; load factor 51.00%; lowest competitor BA 420.00 GBP (531.30 USD) observed 2027-04-01T14:00:00.125Z
	//   days to departure 53, load factor 51.00%, pace 0.8441 (expected 60.42%), seats left 49, competitor gap 4.46%
	//   class  base fare      price  available
	//   Y         900.00     832.50         49 open
	//   B         600.00     521.30         34 open
	//   Y     behind-pace              percent -7.5           900.0000 -> 832.5000
	//   B     behind-pace              percent -7.5           600.0000 -> 555.0000
	//   B     undercut                 undercut 10.00 vs 531.30   555.0000 -> 521.3000
}
