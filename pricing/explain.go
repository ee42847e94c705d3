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
	return explain(d, nil)
}

// ExplainWith returns Explain's text with one more line under the header:
// the values the rule conditions compared, as Conditions returns them for
// the decision's input. With c, a competitor quote in another currency also
// shows its fare converted into the cabin's currency.
func ExplainWith(d *Decision, c ConditionValues) string {
	return explain(d, &c)
}

func explain(d *Decision, c *ConditionValues) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s cabin %s  seq %d  policy %s  cause %s at %s\n",
		d.Flight.Key(), d.Cabin, d.Sequence, d.PolicyVersion, d.CauseEventID, formatTime(d.EventTime))
	offered := "none: every class is closed"
	if d.OfferedClass != "" {
		offered = fmt.Sprintf("%s at %s %s", d.OfferedClass, FormatAmount(d.OfferedPrice, d.Currency), d.Currency)
	}
	fmt.Fprintf(&b, "  offered %s; load factor %s%%", offered, d.LoadFactor.StringFixed(2))
	if q := d.LowestCompetitor; q != nil {
		fmt.Fprintf(&b, "; lowest competitor %s %s %s", q.Carrier, formatAmounts(q.Currency, q.Fare)[0], q.Currency)
		// Only the conditions carry the converted fare: the decision has no
		// exchange rate.
		if c != nil && c.HasCompetitor && q.Currency != d.Currency {
			places, _ := MinorUnits(d.Currency)
			fmt.Fprintf(&b, " (%s %s)", showAmount(c.CompetitorFare, places), d.Currency)
		}
		fmt.Fprintf(&b, " observed %s", formatTime(q.ObservedAt))
	}
	b.WriteString("\n")
	if c != nil {
		b.WriteString("  ")
		b.WriteString(c.describe())
		b.WriteString("\n")
	}

	b.WriteString("  class  base fare      price  available\n")
	for _, rung := range d.Ladder {
		state := "open"
		if !rung.Open {
			state = "closed"
		}
		fmt.Fprintf(&b, "  %-5s %10s %10s  %9d %s\n", rung.Class,
			FormatAmount(rung.BaseFare, d.Currency), FormatAmount(rung.Price, d.Currency), rung.Available, state)
	}
	if len(d.Rules) == 0 {
		b.WriteString("  no rule changed a price\n")
	}
	for _, r := range d.Rules {
		amounts := formatAmounts(d.Currency, r.Before, r.After)
		fmt.Fprintf(&b, "  %-5s %-24s %-20s %10s -> %s\n", r.Class, r.RuleID, r.Effect, amounts[0], amounts[1])
	}
	return b.String()
}

// describe writes the values on one line, for example "days to departure
// 53, load factor 51.00%, pace 0.7241 (expected 70.43%), seats left 49,
// competitor gap -20.30%". Pace appears only with a pace curve, and the
// competitor gap only with a valid quote and an open class.
func (c *ConditionValues) describe() string {
	parts := []string{
		fmt.Sprintf("days to departure %d", c.DaysToDeparture),
		fmt.Sprintf("load factor %s%%", c.LoadFactor.StringFixed(2)),
	}
	if c.HasPace {
		parts = append(parts, fmt.Sprintf("pace %s (expected %s%%)", c.Pace.StringFixed(4), c.ExpectedLoadFactor.StringFixed(2)))
	}
	parts = append(parts, fmt.Sprintf("seats left %d", c.SeatsLeft))
	if c.HasCompetitorGap {
		parts = append(parts, fmt.Sprintf("competitor gap %s%%", c.CompetitorGap.StringFixed(2)))
	}
	return strings.Join(parts, ", ")
}

// formatAmounts writes amounts of one currency with the same number of
// decimal places: the currency's minor digits, or more when any amount has
// more, so no digit is lost and the amounts line up. A currency missing
// from the table counts as having none.
func formatAmounts(currency string, amounts ...decimal.Decimal) []string {
	places, _ := MinorUnits(currency)
	for _, a := range amounts {
		places = max(places, -a.Exponent())
	}
	texts := make([]string, len(amounts))
	for i, a := range amounts {
		texts[i] = a.StringFixed(places)
	}
	return texts
}

// formatTime writes every time in an explanation: RFC 3339 in UTC, with
// milliseconds when the time has a fraction of a second, and nanoseconds
// when it is finer than a millisecond. The Avro event schemas carry
// milliseconds (timestamp-millis), so the nanosecond form shows only for
// times from other sources, such as a policy's effective_at.
func formatTime(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Nanosecond() == 0:
		return t.Format("2006-01-02T15:04:05Z07:00")
	case t.Nanosecond()%int(time.Millisecond) == 0:
		return t.Format("2006-01-02T15:04:05.000Z07:00")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z07:00")
}
