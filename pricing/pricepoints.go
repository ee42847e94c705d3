package pricing

import "github.com/shopspring/decimal"

// SnapDirection names which price point a price between two points moves to.
type SnapDirection string

const (
	// SnapNearest moves to the closer point, and up on a tie. It is the
	// default.
	SnapNearest SnapDirection = "nearest"
	// SnapDown moves to the point at or below the price.
	SnapDown SnapDirection = "down"
	// SnapUp moves to the point at or above the price.
	SnapUp SnapDirection = "up"
)

// pricePoints are the prices a cabin may show: offset + k × step for
// k = 0, 1, 2, … above zero. Step 10 with offset 9 gives prices ending in 9
// (9, 19, 29, …); step 5 with offset 0 gives multiples of 5.
type pricePoints struct {
	step   decimal.Decimal
	offset decimal.Decimal
	snap   SnapDirection
	path   string // field path in the policy, for validation messages
}

// lowest returns the smallest price point above zero.
func (pp *pricePoints) lowest() decimal.Decimal {
	if pp.offset.IsPositive() {
		return pp.offset
	}
	return pp.step
}

// contains reports whether d is a price point.
func (pp *pricePoints) contains(d decimal.Decimal) bool {
	if d.LessThan(pp.lowest()) {
		return false
	}
	_, rem := d.Sub(pp.offset).QuoRem(pp.step, 0)
	return rem.IsZero()
}

// describe writes the price points for validation messages.
func (pp *pricePoints) describe() string {
	if pp.offset.IsZero() {
		return "multiples of " + pp.step.String()
	}
	return pp.offset.String() + " plus multiples of " + pp.step.String()
}

// neighbours names the price points around d, for validation messages.
func (pp *pricePoints) neighbours(d decimal.Decimal) string {
	if d.LessThan(pp.lowest()) {
		return pp.lowest().String()
	}
	quotient, _ := d.Sub(pp.offset).QuoRem(pp.step, 0)
	below := pp.offset.Add(quotient.Mul(pp.step))
	return below.String() + " or " + below.Add(pp.step).String()
}

// maxPointAmounts bounds the decimals that one pointAmounts holds. 1,024
// decimals take about 56 KB, and cover 149 to 10,379 in steps of 10.
const maxPointAmounts = 1024

// pointAmounts are the decimals of consecutive price points in minor
// units, built once with the policy. Most prices end on a price point, so
// looking their decimals up here saves Decide two allocations each.
type pointAmounts struct {
	first, step int64 // minor units
	amounts     []decimal.Decimal
}

// lookup returns the decimal of the price point at units, and false when
// units is outside the table or between points. t may be nil.
func (t *pointAmounts) lookup(units int64) (decimal.Decimal, bool) {
	if t == nil || units < t.first || (units-t.first)%t.step != 0 {
		return decimal.Decimal{}, false
	}
	k := (units - t.first) / t.step
	if k >= int64(len(t.amounts)) {
		return decimal.Decimal{}, false
	}
	return t.amounts[k], true
}

// sharePointAmounts gives every cabin with price points a pointAmounts.
// Cabins with the same minor digits and price points share one, which
// starts at their lowest floor and ends at their highest ceiling, or after
// maxPointAmounts points. Floors and ceilings are price points, so the
// table lies on the points.
func sharePointAmounts(p *Policy) {
	type grid struct {
		places       int32
		step, offset int64
	}
	tables := make(map[grid]*pointAmounts)
	ceilings := make(map[grid]int64)
	var cabins []*cabinPolicy
	for _, entries := range p.routes {
		for _, e := range entries {
			for _, cp := range e.cabins {
				u := &cp.units
				if !u.hasPoints || u.step <= 0 {
					continue
				}
				g := grid{cp.places, u.step, u.offset}
				t := tables[g]
				if t == nil {
					t = &pointAmounts{first: u.floor, step: u.step}
					tables[g] = t
				}
				t.first = min(t.first, u.floor)
				ceilings[g] = max(ceilings[g], u.ceiling)
				cabins = append(cabins, cp)
			}
		}
	}

	for g, t := range tables {
		n := min((ceilings[g]-t.first)/t.step+1, maxPointAmounts)
		t.amounts = make([]decimal.Decimal, n)
		for k := range t.amounts {
			t.amounts[k] = fromUnits(t.first+int64(k)*t.step, g.places)
		}
	}
	for _, cp := range cabins {
		u := &cp.units
		u.pointAmounts = tables[grid{cp.places, u.step, u.offset}]
	}
}
