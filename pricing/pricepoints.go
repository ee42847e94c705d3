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
