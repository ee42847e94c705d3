package pricing

import (
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// protection returns y_1..y_{n-1} in whole seats for the cabin's ladder:
// from EMSR on the forecast when there is one and the method allows it,
// otherwise from the static levels less the seats sold above.
func (cp *cabinPolicy) protection(s inventory.Seats) []int {
	if len(s.Forecast) == 0 || cp.method == ProtectStatic {
		return StaticProtection(cp.static, cp.classes, s.SoldByClass)
	}

	// Align the forecast with the ladder. A class without one has zero demand.
	aligned := make([]inventory.ClassForecast, len(cp.classes))
	for _, fc := range s.Forecast {
		for j, class := range cp.classes {
			if fc.Class == class {
				aligned[j] = fc
				break
			}
		}
	}
	if cp.method == ProtectEMSRa {
		return WholeSeats(EMSRa(cp.fareFloats, aligned))
	}
	return WholeSeats(EMSRb(cp.fareFloats, aligned))
}

// lowestQuote returns the lowest valid competitor quote and its fare in the
// cabin's currency, or nil. A quote is valid when it is for this cabin, its
// fare is above zero, its currency is the cabin's or has an exchange rate,
// and it was observed at most maxQuoteAge before eventTime. A quote observed
// after eventTime is the freshest information there is, so it counts as
// valid. Ties go to the carrier code first in order, then the event id.
func (cp *cabinPolicy) lowestQuote(quotes []inventory.CompetitorFare, cabin string, eventTime time.Time) (*inventory.CompetitorFare, decimal.Decimal) {
	best := -1
	var bestFare decimal.Decimal
	for i := range quotes {
		q := &quotes[i]
		if q.Cabin != cabin || !q.Fare.IsPositive() || eventTime.Sub(q.ObservedAt) > cp.maxQuoteAge {
			continue
		}
		fare := q.Fare
		if q.Currency != cp.currency {
			rate, ok := cp.rates[q.Currency]
			if !ok {
				continue
			}
			fare = fare.Mul(rate)
		}
		if best < 0 || fare.LessThan(bestFare) || (fare.Equal(bestFare) && quoteBefore(q, &quotes[best])) {
			best, bestFare = i, fare
		}
	}
	if best < 0 {
		return nil, decimal.Decimal{}
	}
	chosen := quotes[best]
	return &chosen, bestFare
}

func quoteBefore(a, b *inventory.CompetitorFare) bool {
	if a.Carrier != b.Carrier {
		return a.Carrier < b.Carrier
	}
	return a.EventID < b.EventID
}

// paceAt returns the load factor over the expected load factor at days to
// departure in ten-thousandths, rounded half up, and false when the cabin
// has no pace curve.
func (cp *cabinPolicy) paceAt(loadFactor decimal.Decimal, days int) (int64, bool) {
	lo, hi, ok := cp.paceSegment(days)
	if !ok {
		return 0, false
	}
	if lo.days == hi.days {
		return paceUnits(loadFactor, lo.loadFactor), true
	}

	// pace = LF / (lf_lo + (lf_hi − lf_lo) × (days − d_lo) / (d_hi − d_lo)),
	// multiplied out so that only the final division rounds.
	span := decimal.NewFromInt(int64(hi.days - lo.days))
	expected := lo.loadFactor.Mul(span).Add(hi.loadFactor.Sub(lo.loadFactor).Mul(decimal.NewFromInt(int64(days - lo.days))))
	return paceUnits(loadFactor.Mul(span), expected), true
}

// expectedAt returns the expected load factor (percent) at days to
// departure, rounded half up to 2 places, and false when the cabin has no
// pace curve.
func (cp *cabinPolicy) expectedAt(days int) (decimal.Decimal, bool) {
	lo, hi, ok := cp.paceSegment(days)
	if !ok {
		return decimal.Decimal{}, false
	}
	if lo.days == hi.days {
		return lo.loadFactor.Round(2), true
	}
	span := decimal.NewFromInt(int64(hi.days - lo.days))
	expected := lo.loadFactor.Mul(span).Add(hi.loadFactor.Sub(lo.loadFactor).Mul(decimal.NewFromInt(int64(days - lo.days))))
	return expected.DivRound(span, 2), true
}

// paceSegment returns the points of the pace curve around days, and false
// when the cabin has no curve. The curve is linear between its points and
// flat beyond its first and last points, where lo and hi are the same point.
func (cp *cabinPolicy) paceSegment(days int) (lo, hi pacePoint, ok bool) {
	curve := cp.pace
	switch {
	case len(curve) == 0:
		return pacePoint{}, pacePoint{}, false
	case days <= curve[0].days:
		return curve[0], curve[0], true
	case days >= curve[len(curve)-1].days:
		last := curve[len(curve)-1]
		return last, last, true
	}
	i := 0
	for curve[i+1].days <= days {
		i++
	}
	return curve[i], curve[i+1], true
}

// paceUnits returns actual / expected in ten-thousandths, rounded half up.
func paceUnits(actual, expected decimal.Decimal) int64 {
	if units, ok := toUnits(actual.DivRound(expected, 4), 4); ok {
		return units
	}
	return unitBound
}
