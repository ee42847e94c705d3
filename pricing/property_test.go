package pricing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// stressPolicy mixes every rule kind, class filters that can break the
// ladder's order, price points and foreign quotes.
const stressPolicy = `
version: stress
effective_at: 2027-01-01T00:00:00Z
defaults:
  currency: USD
  price_points: {step: "5"}
  exchange_rates: {EUR/USD: "1.0850"}
  pace_curve: [{days: 0, load_factor: "90"}, {days: 60, load_factor: "50"}, {days: 180, load_factor: "10"}]
rules:
  - {id: lf, priority: 10, when: {load_factor: {at_or_above: 70}}, effect: {percent: "12"}, max: "1700.00"}
  - {id: late, priority: 20, when: {days_to_departure: {at_or_below: 10}}, effect: {amount: "35.00"}}
  - {id: pace, priority: 30, when: {pace: {at_or_below: "0.8"}}, effect: {percent: "-9"}, min: "150.00"}
  - {id: lift-low, priority: 40, classes: [L, V], when: {seats_left: {at_or_below: 30}}, effect: {percent: "60"}}
  - {id: gap, priority: 45, when: {competitor_gap: {at_or_above: "25"}}, effect: {percent: "-6"}}
  - {id: undercut, priority: 50, when: {competitor_gap: {between: ["-5", "30"]}}, effect: {competitor: undercut, percent: "3"}}
  - {id: premium, priority: 60, classes: [Y, B], effect: {competitor: premium, amount: "400.00"}}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "150.00"
        ceiling: "1800.00"
        ladder:
          - {class: Y, fare: "1450.00", protect: 8}
          - {class: B, fare: "1180.00", protect: 18}
          - {class: M, fare: "960.00", protect: 30}
          - {class: H, fare: "780.00", protect: 45}
          - {class: Q, fare: "620.00", protect: 62}
          - {class: K, fare: "490.00", protect: 80}
          - {class: L, fare: "390.00", protect: 100}
          - {class: V, fare: "310.00"}
`

// risingPolicy has only rules whose effect rises with the load factor, and
// no competitor rules. A rule's max clamps the running price even when an
// earlier rule already took it above the max, so only the first rule to
// apply carries one (its max is above every base fare it can meet).
const risingPolicy = `
version: rising
effective_at: 2027-01-01T00:00:00Z
defaults:
  currency: USD
  rounding: half_even
  price_points: {step: "10", offset: "9"}
  pace_curve: [{days: 0, load_factor: "90"}, {days: 60, load_factor: "50"}]
rules:
  - {id: lf-60, priority: 10, when: {load_factor: {at_or_above: 60}}, effect: {percent: "7.5"}, max: "1500.00"}
  - {id: lf-80, priority: 20, when: {load_factor: {at_or_above: 80}}, effect: {amount: "45.00"}}
  - {id: pace-ahead, priority: 30, when: {pace: {at_or_above: "1.1"}}, effect: {percent: "4"}}
  - {id: lf-low, priority: 5, classes: [V], when: {load_factor: {at_or_above: 40}}, effect: {percent: "90"}}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "149.00"
        ceiling: "1999.00"
        ladder:
          - {class: Y, fare: "1450.00", protect: 8}
          - {class: B, fare: "1180.00", protect: 18}
          - {class: M, fare: "960.00", protect: 30}
          - {class: H, fare: "780.00", protect: 45}
          - {class: Q, fare: "620.00", protect: 62}
          - {class: K, fare: "490.00", protect: 80}
          - {class: L, fare: "390.00", protect: 100}
          - {class: V, fare: "310.00"}
`

var ladderClasses = []string{"Y", "B", "M", "H", "Q", "K", "L", "V"}

// randomInput draws seats, an optional forecast, quotes and an event time.
func randomInput(t testing.TB, rng *rand.Rand) Input {
	physical := 50 + rng.IntN(250)
	authorized := physical + rng.IntN(15)
	sold := map[string]int{}
	total := 0
	for _, class := range ladderClasses {
		n := rng.IntN(physical/4 + 1)
		if rng.IntN(3) == 0 {
			n = 0
		}
		sold[class] = n
		total += n
	}
	in := Input{
		Flight: testFlight(t, "JFK-LHR", "2027-05-01", "America/New_York"),
		Cabin:  "Y",
		Seats: inventory.Seats{
			PhysicalCapacity: physical, AuthorizedCapacity: authorized,
			SoldTotal: total + rng.IntN(5), SoldByClass: sold,
		},
		EventTime: time.Date(2027, 5, 1, 12, 0, 0, 0, time.UTC).Add(-time.Duration(rng.IntN(200*24)) * time.Hour),
	}
	if rng.IntN(2) == 0 {
		for _, class := range ladderClasses {
			mean := rng.Float64() * 60
			in.Seats.Forecast = append(in.Seats.Forecast, inventory.ClassForecast{Class: class, Mean: mean, StdDev: rng.Float64() * mean})
		}
	}
	for i := range rng.IntN(4) {
		currency := "USD"
		if rng.IntN(2) == 0 {
			currency = "EUR"
		}
		in.Quotes = append(in.Quotes, inventory.CompetitorFare{
			EventID: fmt.Sprintf("q%d", i), Carrier: fmt.Sprintf("C%d", i), Cabin: "Y",
			Fare: decimal.NewFromInt(int64(150 + rng.IntN(1500))), Currency: currency,
			ObservedAt: in.EventTime.Add(-time.Duration(rng.IntN(48)) * time.Hour),
		})
	}
	return in
}

func TestDecideProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, text := range []string{stressPolicy, risingPolicy} {
		p := mustParse(t, text)
		cp := p.cabin(market(t, "JFK-LHR/2027-05-01"), "Y")
		for i := range 3000 {
			in := randomInput(t, rng)
			d, err := Decide(p, in)
			if err != nil {
				t.Fatalf("%s case %d: %v", p.Version(), i, err)
			}
			checkProperties(t, fmt.Sprintf("%s case %d", p.Version(), i), cp, in, d)
		}
	}
}

func checkProperties(t *testing.T, name string, cp *cabinPolicy, in Input, d Decision) {
	t.Helper()
	seatsLeft := SeatsLeft(in.Seats)
	offered := -1
	for j, rung := range d.Ladder {
		if rung.Available < 0 || rung.Available > seatsLeft {
			t.Errorf("%s: class %s available %d, want 0..%d", name, rung.Class, rung.Available, seatsLeft)
		}
		if rung.Open != (rung.Available > 0) {
			t.Errorf("%s: class %s open %t with %d available", name, rung.Class, rung.Open, rung.Available)
		}
		if rung.Open {
			offered = j
		}
		if rung.Price.LessThan(cp.floor) || rung.Price.GreaterThan(cp.ceiling) {
			t.Errorf("%s: class %s price %s outside floor %s and ceiling %s", name, rung.Class, rung.Price, cp.floor, cp.ceiling)
		}
		if cp.points != nil && !cp.points.contains(rung.Price) {
			t.Errorf("%s: class %s price %s is not a price point", name, rung.Class, rung.Price)
		}
		if j == 0 {
			continue
		}
		above := d.Ladder[j-1]
		if rung.Available > above.Available {
			t.Errorf("%s: class %s has %d available, more than %d of class %s above", name, rung.Class, rung.Available, above.Available, above.Class)
		}
		if rung.Price.GreaterThan(above.Price) {
			t.Errorf("%s: class %s costs %s, more than %s of class %s above", name, rung.Class, rung.Price, above.Price, above.Class)
		}
	}
	wantClass := ""
	if offered >= 0 {
		wantClass = d.Ladder[offered].Class
		if !d.OfferedPrice.Equal(d.Ladder[offered].Price) {
			t.Errorf("%s: offered price %s, want the ladder's %s", name, d.OfferedPrice, d.Ladder[offered].Price)
		}
	}
	if d.OfferedClass != wantClass {
		t.Errorf("%s: offered class %q, want the lowest open %q", name, d.OfferedClass, wantClass)
	}
}

// With no competitor rules and only rules that rise with the load factor,
// selling more seats never lowers any price.
func TestDecideMoreSoldNeverCheaper(t *testing.T) {
	p := mustParse(t, risingPolicy)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		in := randomInput(t, rng)
		before, err := Decide(p, in)
		if err != nil {
			t.Fatal(err)
		}

		more := in
		more.Seats.SoldByClass = make(map[string]int, len(in.Seats.SoldByClass))
		for class, n := range in.Seats.SoldByClass {
			more.Seats.SoldByClass[class] = n
		}
		class := ladderClasses[rng.IntN(len(ladderClasses))]
		extra := 1 + rng.IntN(40)
		more.Seats.SoldByClass[class] += extra
		more.Seats.SoldTotal += extra
		after, err := Decide(p, more)
		if err != nil {
			t.Fatal(err)
		}

		for j := range before.Ladder {
			if after.Ladder[j].Price.LessThan(before.Ladder[j].Price) {
				t.Errorf("case %d: %d more sold in %s lowered class %s from %s to %s",
					i, extra, class, before.Ladder[j].Class, before.Ladder[j].Price, after.Ladder[j].Price)
			}
		}
	}
}

func TestEMSRRandomForecastsFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 5000 {
		n := 1 + rng.IntN(10)
		fares := make([]float64, n)
		forecasts := make([]inventory.ClassForecast, n)
		for j := range fares {
			fares[j] = math.Round(rng.Float64()*2000) - 100 // some negative, some zero
			forecasts[j] = inventory.ClassForecast{Mean: rng.NormFloat64() * 30, StdDev: rng.NormFloat64() * 10}
		}
		for _, levels := range [][]float64{EMSRb(fares, forecasts), EMSRa(fares, forecasts)} {
			for j, y := range levels {
				if math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
					t.Fatalf("case %d: y_%d = %v for fares %v forecasts %v", i, j+1, y, fares, forecasts)
				}
			}
		}
	}
}
