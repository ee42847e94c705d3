package avro

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
	"github.com/shopspring/decimal"
)

// TestDecisionBinaryMatchesGoavro checks the hand-written price update
// encoder against goavro's encoding of the same decisions, byte for byte.
func TestDecisionBinaryMatchesGoavro(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		d := randomDecision(rng)
		got, err := appendDecision(nil, d)
		if err != nil {
			t.Fatalf("decision %d: appendDecision: %v", i, err)
		}
		native, err := decisionToNative(d)
		if err != nil {
			t.Fatalf("decision %d: decisionToNative: %v", i, err)
		}
		want, err := c.priceUpdate.codec.BinaryFromNative(nil, native)
		if err != nil {
			t.Fatalf("decision %d: goavro: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("decision %d: encodings differ\n got: %x\nwant: %x", i, got, want)
		}
	}
}

// TestDecisionBinaryRejectsDigits checks that an amount with more than four
// fractional digits, or more than 18 digits, is rejected, not rounded.
func TestDecisionBinaryRejectsDigits(t *testing.T) {
	for _, amount := range []string{"1.23456", "123456789012345.6789", "-99999999999999.99999"} {
		d := randomDecision(rand.New(rand.NewPCG(3, 4)))
		d.LoadFactor = decimal.RequireFromString(amount)
		if _, err := appendDecision(nil, d); err == nil {
			t.Errorf("load factor %s: no error, want one", amount)
		}
	}
}

func randomDecision(rng *rand.Rand) *pricing.Decision {
	amount := func() decimal.Decimal {
		switch rng.IntN(6) {
		case 0:
			return decimal.Zero
		case 1:
			return decimal.New(-rng.Int64N(1_000_000), -int32(rng.IntN(5)))
		case 2:
			return decimal.New(rng.Int64N(999_999_999_999_999), -4)
		case 3:
			return decimal.New(rng.Int64N(100), int32(rng.IntN(3)))
		default:
			return decimal.New(rng.Int64N(10_000_000), -int32(rng.IntN(5)))
		}
	}
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(400)-200)
	d := &pricing.Decision{
		Flight: inventory.Flight{Carrier: "AA", Number: "100", Origin: "JFK", Destination: "LHR",
			Date: day, OriginTimeZone: "America/New_York"},
		Cabin:         "Y",
		Sequence:      rng.Int64N(1 << 40),
		Currency:      "USD",
		LoadFactor:    amount(),
		CauseEventID:  "ev-1",
		PolicyVersion: "v1",
		EventTime:     time.UnixMilli(rng.Int64N(1 << 42)).UTC(),
		Rules:         []pricing.AppliedRule{},
	}
	if rng.IntN(3) > 0 {
		d.OfferedClass, d.OfferedPrice = "Q", amount()
	}
	for i := 0; i < rng.IntN(9); i++ {
		d.Ladder = append(d.Ladder, pricing.ClassPrice{Class: string(rune('A' + i)), BaseFare: amount(), Price: amount(), Available: rng.IntN(300), Open: rng.IntN(2) == 0})
	}
	for i := 0; i < rng.IntN(20); i++ {
		d.Rules = append(d.Rules, pricing.AppliedRule{RuleID: "r", Class: "Q", Effect: "percent +10", Before: amount(), After: amount()})
	}
	if rng.IntN(2) == 0 {
		d.LowestCompetitor = &inventory.CompetitorFare{EventID: "q", Route: d.Flight.Market(), Cabin: "Y", Carrier: "BA",
			Fare: amount(), Currency: "USD", ObservedAt: time.UnixMilli(rng.Int64N(1 << 42)).UTC(), Source: "feed"}
	}
	return d
}

// BenchmarkEncodeDecision compares the hand-written encoder with goavro on
// one 8-class decision with 16 recorded steps.
func BenchmarkEncodeDecision(b *testing.B) {
	c, err := NewCatalog()
	if err != nil {
		b.Fatal(err)
	}
	d := randomDecision(rand.New(rand.NewPCG(5, 6)))
	d.Ladder, d.Rules = nil, nil
	for i := 0; i < 8; i++ {
		d.Ladder = append(d.Ladder, pricing.ClassPrice{Class: string(rune('A' + i)), BaseFare: decimal.New(145000, -2), Price: decimal.New(144900, -2), Available: 40, Open: true})
		d.Rules = append(d.Rules, pricing.AppliedRule{RuleID: "last-week", Class: "Q", Effect: "amount +40.00", Before: decimal.New(31000, -2), After: decimal.New(35000, -2)},
			pricing.AppliedRule{RuleID: "price_point", Class: "Q", Effect: "snap nearest", Before: decimal.New(35000, -2), After: decimal.New(34900, -2)})
	}
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.EncodeDecision(d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goavro", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			native, err := decisionToNative(d)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.encode(c.priceUpdate, native); err != nil {
				b.Fatal(err)
			}
		}
	})
}
