package pricing

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Explain returns a decision as readable text: the cabin, the offered
// class, the fare ladder and every rule that changed or bounded a price,
// with the amount before and after it.
func Explain(d *Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s cabin %s  seq %d  policy %s  cause %s at %s\n",
		d.Flight.Key(), d.Cabin, d.Sequence, d.PolicyVersion, d.CauseEventID, d.EventTime.UTC().Format(time.RFC3339))
	offered := "none: every class is closed"
	if d.OfferedClass != "" {
		offered = fmt.Sprintf("%s at %s %s", d.OfferedClass, FormatAmount(d.OfferedPrice, d.Currency), d.Currency)
	}
	fmt.Fprintf(&b, "  offered %s; load factor %s%%", offered, d.LoadFactor.StringFixed(2))
	if q := d.LowestCompetitor; q != nil {
		fmt.Fprintf(&b, "; lowest competitor %s %s %s", q.Carrier, q.Fare.String(), q.Currency)
	}
	b.WriteString("\n  class  base fare      price  available\n")
	for _, c := range d.Ladder {
		state := "open"
		if !c.Open {
			state = "closed"
		}
		fmt.Fprintf(&b, "  %-5s %10s %10s  %9d %s\n", c.Class,
			FormatAmount(c.BaseFare, d.Currency), FormatAmount(c.Price, d.Currency), c.Available, state)
	}
	if len(d.Rules) == 0 {
		b.WriteString("  no rule changed a price\n")
	}
	for _, r := range d.Rules {
		fmt.Fprintf(&b, "  %-5s %-24s %-20s %10s -> %s\n", r.Class, r.RuleID, r.Effect, stepAmount(r.Before, d.Currency), stepAmount(r.After, d.Currency))
	}
	return b.String()
}

// stepAmount formats an amount inside the stacking order: with the
// currency's minor digits, or more when a step before the final rounding
// has more.
func stepAmount(amount decimal.Decimal, currency string) string {
	places, _ := MinorUnits(currency)
	return amount.StringFixed(max(places, -amount.Exponent()))
}
