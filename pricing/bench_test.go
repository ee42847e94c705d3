package pricing

import (
	"slices"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// benchInput is an 8-class cabin of the stress policy with two quotes, one
// of them in a foreign currency.
func benchInput(b testing.TB, forecast bool) Input {
	event := time.Date(2027, 4, 25, 16, 0, 0, 0, time.UTC)
	in := Input{
		Flight: testFlight(b, "JFK-LHR", "2027-05-01", "America/New_York"),
		Cabin:  "Y",
		Seats: inventory.Seats{
			PhysicalCapacity: 200, AuthorizedCapacity: 210, SoldTotal: 150,
			SoldByClass: map[string]int{"Y": 3, "B": 10, "M": 5, "H": 12, "Q": 20, "K": 30, "L": 30, "V": 40},
		},
		Quotes: []inventory.CompetitorFare{
			{Carrier: "BA", Cabin: "Y", Fare: decimal.RequireFromString("355.00"), Currency: "USD", ObservedAt: event.Add(-time.Hour)},
			{Carrier: "AF", Cabin: "Y", Fare: decimal.RequireFromString("330.00"), Currency: "EUR", ObservedAt: event.Add(-2 * time.Hour)},
		},
		EventTime: event,
	}
	if forecast {
		means := []float64{8, 12, 15, 18, 22, 25, 30, 40}
		for i, class := range ladderClasses {
			in.Seats.Forecast = append(in.Seats.Forecast, inventory.ClassForecast{Class: class, Mean: means[i], StdDev: means[i] / 3})
		}
	}
	return in
}

func benchmarkDecide(b *testing.B, forecast bool) {
	p := mustParse(b, stressPolicy)
	in := benchInput(b, forecast)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(p, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecideStatic(b *testing.B)   { benchmarkDecide(b, false) }
func BenchmarkDecideForecast(b *testing.B) { benchmarkDecide(b, true) }

func BenchmarkEMSRb8Classes(b *testing.B) {
	fares := []float64{1450, 1180, 960, 780, 620, 490, 390, 310}
	in := benchInput(b, true)
	b.ReportAllocs()
	for b.Loop() {
		EMSRb(fares, in.Seats.Forecast)
	}
}

func BenchmarkLadderFingerprint(b *testing.B) {
	p := mustParse(b, stressPolicy)
	d, err := Decide(p, benchInput(b, false))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d.LadderFingerprint()
	}
}

// BenchmarkDecideExamplePolicy prices the 8-class JFK-LHR cabin of the
// shipped example policy, where fewer rules fire than in the stress policy.
func BenchmarkDecideExamplePolicy(b *testing.B) {
	p, err := LoadPolicyFile("../examples/policy.yaml")
	if err != nil {
		b.Fatal(err)
	}
	in := benchInput(b, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(p, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideQuotes prices the example policy's JFK-LHR cabin against
// four quotes: one in the cabin's currency that the undercut rule chases,
// two converted at exchange rates, and one too old to count.
func BenchmarkDecideQuotes(b *testing.B) {
	p, err := LoadPolicyFile("../examples/policy.yaml")
	if err != nil {
		b.Fatal(err)
	}
	in := benchInput(b, false)
	event := in.EventTime
	in.Quotes = []inventory.CompetitorFare{
		{Carrier: "BA", Cabin: "Y", Fare: decimal.RequireFromString("330.00"), Currency: "USD", ObservedAt: event.Add(-time.Hour)},
		{Carrier: "AF", Cabin: "Y", Fare: decimal.RequireFromString("310.00"), Currency: "EUR", ObservedAt: event.Add(-2 * time.Hour)},
		{Carrier: "VS", Cabin: "Y", Fare: decimal.RequireFromString("275.00"), Currency: "GBP", ObservedAt: event.Add(-3 * time.Hour)},
		{Carrier: "LH", Cabin: "Y", Fare: decimal.RequireFromString("199.00"), Currency: "USD", ObservedAt: event.Add(-48 * time.Hour)},
	}
	d, err := Decide(p, in)
	if err != nil {
		b.Fatal(err)
	}
	if !slices.ContainsFunc(d.Rules, func(r AppliedRule) bool { return r.RuleID == "undercut-lowest" }) {
		b.Fatalf("undercut-lowest did not fire; rules %v", d.Rules)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(p, in); err != nil {
			b.Fatal(err)
		}
	}
}
