package pricing

import (
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// explainDecision returns a decision for Explain tests. Each case changes
// the fields it tests.
func explainDecision(t *testing.T) *Decision {
	t.Helper()
	return &Decision{
		Flight:       testFlight(t, "JFK-LHR", "2027-05-24", "America/New_York"),
		Cabin:        "Y",
		Sequence:     3,
		OfferedClass: "B",
		OfferedPrice: dec("619.00"),
		Currency:     "USD",
		Ladder: []ClassPrice{
			{Class: "Y", BaseFare: dec("900.00"), Price: dec("989.00"), Available: 20, Open: true},
			{Class: "B", BaseFare: dec("600.00"), Price: dec("619.00"), Available: 5, Open: true},
		},
		LoadFactor: dec("80.00"),
		LowestCompetitor: &inventory.CompetitorFare{
			Carrier: "BA", Cabin: "Y", Fare: dec("629"), Currency: "USD",
			ObservedAt: time.Date(2027, 4, 1, 14, 0, 0, 0, time.UTC),
		},
		Rules:         []AppliedRule{{RuleID: "high-load", Class: "Y", Effect: "percent +10", Before: dec("900"), After: dec("990")}},
		CauseEventID:  "booking-1",
		PolicyVersion: "v1",
		EventTime:     time.Date(2027, 4, 1, 16, 0, 0, 0, time.UTC),
	}
}

func TestExplainLines(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *Decision)
		want   string // one whole line of the text, without its newline
	}{
		{
			"event time in whole seconds",
			func(d *Decision) {},
			"AA100/2027-05-24/JFK cabin Y  seq 3  policy v1  cause booking-1 at 2027-04-01T16:00:00Z",
		},
		{
			"event time with milliseconds",
			func(d *Decision) { d.EventTime = d.EventTime.Add(250 * time.Millisecond) },
			"AA100/2027-05-24/JFK cabin Y  seq 3  policy v1  cause booking-1 at 2027-04-01T16:00:00.250Z",
		},
		{
			"event time finer than milliseconds",
			func(d *Decision) { d.EventTime = d.EventTime.Add(500 * time.Nanosecond) },
			"AA100/2027-05-24/JFK cabin Y  seq 3  policy v1  cause booking-1 at 2027-04-01T16:00:00.000000500Z",
		},
		{
			"event time in another zone",
			func(d *Decision) { d.EventTime = d.EventTime.In(time.FixedZone("EDT", -4*3600)) },
			"AA100/2027-05-24/JFK cabin Y  seq 3  policy v1  cause booking-1 at 2027-04-01T16:00:00Z",
		},
		{
			"competitor with minor digits",
			func(d *Decision) {},
			"  offered B at 619.00 USD; load factor 80.00%; lowest competitor BA 629.00 USD observed 2027-04-01T14:00:00Z",
		},
		{
			"competitor in KWD",
			func(d *Decision) {
				d.LowestCompetitor.Fare, d.LowestCompetitor.Currency = dec("68.25"), "KWD"
				d.LowestCompetitor.ObservedAt = d.LowestCompetitor.ObservedAt.Add(5 * time.Millisecond)
			},
			"  offered B at 619.00 USD; load factor 80.00%; lowest competitor BA 68.250 KWD observed 2027-04-01T14:00:00.005Z",
		},
		{
			"competitor with more digits than its currency",
			func(d *Decision) { d.LowestCompetitor.Fare = dec("512.005") },
			"  offered B at 619.00 USD; load factor 80.00%; lowest competitor BA 512.005 USD observed 2027-04-01T14:00:00Z",
		},
		{
			"no competitor",
			func(d *Decision) { d.LowestCompetitor = nil },
			"  offered B at 619.00 USD; load factor 80.00%",
		},
		{
			"step amounts in minor digits",
			func(d *Decision) {},
			"  Y     high-load                percent +10              900.00 -> 990.00",
		},
		{
			"step amounts with more digits on one side",
			func(d *Decision) {
				d.Rules[0].Before, d.Rules[0].After, d.Rules[0].Effect = dec("1000"), dec("1125.0000"), "percent +12.5"
			},
			"  Y     high-load                percent +12.5         1000.0000 -> 1125.0000",
		},
		{
			"step amounts rounded to the minor unit",
			func(d *Decision) {
				d.Rules[0] = AppliedRule{RuleID: "round", Class: "Y", Effect: "round half_up", Before: dec("989.9825"), After: dec("989.98")}
			},
			"  Y     round                    round half_up          989.9825 -> 989.9800",
		},
		{
			"JPY step amounts",
			func(d *Decision) {
				d.Currency = "JPY"
				d.Rules[0] = AppliedRule{RuleID: "late", Class: "Y", Effect: "percent +5", Before: dec("42000"), After: dec("44100")}
			},
			"  Y     late                     percent +5                42000 -> 44100",
		},
		{
			"JPY step amounts with a fraction",
			func(d *Decision) {
				d.Currency = "JPY"
				d.Rules[0] = AppliedRule{RuleID: "late", Class: "Y", Effect: "percent +5", Before: dec("42001"), After: dec("44101.05")}
			},
			"  Y     late                     percent +5             42001.00 -> 44101.05",
		},
	}
	for _, tt := range tests {
		d := explainDecision(t)
		tt.change(d)
		text := Explain(d)
		if !strings.Contains("\n"+text, "\n"+tt.want+"\n") {
			t.Errorf("%s: Explain lacks the line\n%s\ngot:\n%s", tt.name, tt.want, text)
		}
	}
}

func TestExplainWithConditions(t *testing.T) {
	c := ConditionValues{
		DaysToDeparture: 53, LoadFactor: dec("51.00"),
		HasPace: true, Pace: dec("0.7241"), ExpectedLoadFactor: dec("70.43"),
		SeatsLeft: 49, HasCompetitor: true, CompetitorFare: dec("629.00"),
		HasCompetitorGap: true, CompetitorGap: dec("-20.3"),
	}
	tests := []struct {
		name   string
		change func(d *Decision, c *ConditionValues)
		want   string
	}{
		{
			"every value",
			func(d *Decision, c *ConditionValues) {},
			"  days to departure 53, load factor 51.00%, pace 0.7241 (expected 70.43%), seats left 49, competitor gap -20.30%",
		},
		{
			"no pace curve and no gap",
			func(d *Decision, c *ConditionValues) { c.HasPace, c.HasCompetitorGap = false, false },
			"  days to departure 53, load factor 51.00%, seats left 49",
		},
		{
			// The competitor line shows the converted fare only with the
			// conditions, which carry it.
			"converted competitor fare",
			func(d *Decision, c *ConditionValues) {
				d.LowestCompetitor.Fare, d.LowestCompetitor.Currency = dec("380"), "GBP"
				c.CompetitorFare = dec("380.00").Mul(dec("1.2650"))
			},
			"  offered B at 619.00 USD; load factor 80.00%; lowest competitor BA 380.00 GBP (480.70 USD) observed 2027-04-01T14:00:00Z",
		},
		{
			"converted fare with more digits",
			func(d *Decision, c *ConditionValues) {
				d.LowestCompetitor.Fare, d.LowestCompetitor.Currency = dec("68.25"), "KWD"
				c.CompetitorFare = dec("68.25").Mul(dec("3.25201"))
			},
			"  offered B at 619.00 USD; load factor 80.00%; lowest competitor BA 68.250 KWD (221.9497 USD) observed 2027-04-01T14:00:00Z",
		},
	}
	for _, tt := range tests {
		d, cv := explainDecision(t), c
		tt.change(d, &cv)
		text := ExplainWith(d, cv)
		if !strings.Contains("\n"+text, "\n"+tt.want+"\n") {
			t.Errorf("%s: ExplainWith lacks the line\n%s\ngot:\n%s", tt.name, tt.want, text)
		}
	}

	// Explain is ExplainWith without the conditions line, and never shows
	// a converted fare, because the decision has no exchange rate.
	d := explainDecision(t)
	d.LowestCompetitor.Fare, d.LowestCompetitor.Currency = dec("380"), "GBP"
	with, without := ExplainWith(d, c), Explain(d)
	lines := strings.Split(with, "\n")
	lines = append(lines[:2], lines[3:]...)
	lines[1] = strings.Replace(lines[1], " (629.00 USD)", "", 1)
	if got := strings.Join(lines, "\n"); got != without {
		t.Errorf("ExplainWith without its conditions line:\n%s\nExplain:\n%s", got, without)
	}
}
