package pricing

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The integer fast paths must agree with decimal arithmetic exactly.
func TestRoundUnitsMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	modes := []RoundingMode{RoundHalfUp, RoundHalfEven, RoundDown, RoundUp, RoundCeiling, RoundFloor}
	for range 20000 {
		d := decimal.New(rng.Int64N(2_000_000_000)-1_000_000_000, -int32(rng.IntN(10)))
		if rng.IntN(4) == 0 {
			d = decimal.New(int64(rng.IntN(2000)-1000)*5, -int32(1+rng.IntN(4))) // many exact halves
		}
		places := int32(rng.IntN(4))
		mode := modes[rng.IntN(len(modes))]
		want := mode.roundPlaces(d, places)
		got, ok := roundUnits(d, places, mode)
		if !ok || !fromUnits(got, places).Equal(want) {
			t.Fatalf("roundUnits(%s, %d, %s) = %d, %t; want %s", d, places, mode, got, ok, want)
		}
		if whole := wholeUnits(d, places); whole != d.Equal(want) {
			t.Fatalf("wholeUnits(%s, %d) = %t, want %t", d, places, whole, !whole)
		}
	}
}

func TestRoundUnitsTooLarge(t *testing.T) {
	d := decimal.RequireFromString("12345678901234567890.123")
	if _, ok := roundUnits(d, 2, RoundHalfUp); ok {
		t.Errorf("roundUnits(%s) reported success, want the decimal fallback", d)
	}
}

func TestCompetitorGapMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		running := decimal.New(rng.Int64N(10_000_000)-1000, -int32(rng.IntN(7)))
		competitor := decimal.New(1+rng.Int64N(10_000_000), -int32(rng.IntN(9)))
		want := running.Sub(competitor).Mul(hundred).DivRound(competitor, 2)
		got := competitorGap(running, competitor)
		if !fromUnits(got, 2).Equal(want) {
			t.Fatalf("competitorGap(%s, %s) = %d hundredths, want %s", running, competitor, got, want)
		}
	}
}

func TestThresholdUnits(t *testing.T) {
	tests := []struct {
		threshold string
		places    int32
		up        bool
		want      int64
	}{
		{"80", 2, true, 8000},
		{"80.125", 2, true, 8013},
		{"80.125", 2, false, 8012},
		{"-5.5", 0, true, -5},
		{"-5.5", 0, false, -6},
		{"1e30", 2, true, unitBound},
		{"-1e30", 2, false, -unitBound},
	}
	for _, tt := range tests {
		if got := thresholdUnits(decimal.RequireFromString(tt.threshold), tt.places, tt.up); got != tt.want {
			t.Errorf("thresholdUnits(%s, %d, up %t) = %d, want %d", tt.threshold, tt.places, tt.up, got, tt.want)
		}
	}
}

func TestSnapUnits(t *testing.T) {
	endsIn9 := cabinUnits{hasPoints: true, step: 1000, offset: 900, lowest: 900}
	tests := []struct {
		snap  SnapDirection
		price int64
		want  int64
	}{
		{SnapNearest, 100580, 100900}, // 1005.80 -> 1009.00
		{SnapNearest, 48744, 48900},
		{SnapNearest, 19260, 18900},
		{SnapNearest, 49400, 49900}, // 494.00 is 5 from both 489 and 499: a tie goes up
		{SnapDown, 100580, 99900},
		{SnapUp, 99901, 100900},
		{SnapDown, 500, 900}, // below the lowest point: up to it whatever the direction
		{SnapNearest, -100, 900},
		{SnapUp, 74900, 74900},
	}
	for _, tt := range tests {
		u := endsIn9
		u.snap = tt.snap
		if got := u.snapUnits(tt.price); got != tt.want {
			t.Errorf("snapUnits(%d, %s) = %d, want %d", tt.price, tt.snap, got, tt.want)
		}
	}
}
