package pricing

import "github.com/fareflow/fareflow/inventory"

// Classes returns the booking classes of a cabin in the market from class
// 1 (the highest base fare) down, or nil when the policy does not cover it.
// The inventory uses this order to attribute a total-only snapshot's seats.
func (p *Policy) Classes(m inventory.Market, cabin string) []string {
	cp := p.cabin(m, cabin)
	if cp == nil {
		return nil
	}
	return cp.classes
}
