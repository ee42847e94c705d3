package pricing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

const basePolicy = `
version: v1
effective_at: 2027-03-01T00:00:00Z
defaults:
  currency: USD
  exchange_rates: {GBP/USD: "1.2650"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "100.00"
        ceiling: "2000.00"
        ladder:
          - {class: Y, fare: "900.00", protect: 10}
          - {class: B, fare: "500.00"}
      J:
        floor: "1000.00"
        ceiling: "9000.00"
        ladder:
          - {class: J, fare: "5000.00"}
  - route: JFK-LHR
    dates: {from: "2027-12-20", to: "2027-12-31"}
    currency: EUR
    cabins:
      Y:
        floor: "100.00"
        ceiling: "2000.00"
        ladder:
          - {class: Y, fare: "1200.00"}
  - route: HND-CTS
    currency: JPY
    cabins:
      Y:
        floor: "8000"
        ceiling: "60000"
        ladder:
          - {class: Y, fare: "42000"}
`

func mustParse(t testing.TB, text string) *Policy {
	t.Helper()
	p, err := ParsePolicy([]byte(text))
	if err != nil {
		t.Fatalf("ParsePolicy: %v", err)
	}
	return p
}

func market(t *testing.T, key string) inventory.Market {
	t.Helper()
	m, err := inventory.ParseMarket(key)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPolicyAccessors(t *testing.T) {
	p := mustParse(t, basePolicy)
	if got := p.Version(); got != "v1" {
		t.Errorf("Version() = %q, want v1", got)
	}
	if got, want := p.EffectiveAt(), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("EffectiveAt() = %v, want %v", got, want)
	}
}

func TestPolicyCoversAndCabins(t *testing.T) {
	p := mustParse(t, basePolicy)
	tests := []struct {
		market     string
		cabin      string
		wantCovers bool
		wantCabins string
		wantCurr   string
	}{
		{"JFK-LHR/2027-06-01", "Y", true, "J Y", "USD"},
		{"JFK-LHR/2027-06-01", "J", true, "J Y", "USD"},
		{"JFK-LHR/2027-06-01", "F", false, "J Y", ""},
		{"JFK-LHR/2027-12-24", "Y", true, "J Y", "EUR"}, // the dated entry wins
		{"JFK-LHR/2027-12-24", "J", true, "J Y", "USD"}, // J falls back to all dates
		{"LHR-JFK/2027-06-01", "Y", false, "", ""},      // routes are directional
		{"HND-CTS/2027-06-01", "Y", true, "Y", "JPY"},
	}
	for _, tt := range tests {
		m := market(t, tt.market)
		if got := p.Covers(m, tt.cabin); got != tt.wantCovers {
			t.Errorf("Covers(%s, %s) = %t, want %t", tt.market, tt.cabin, got, tt.wantCovers)
		}
		if got := strings.Join(p.Cabins(m), " "); got != tt.wantCabins {
			t.Errorf("Cabins(%s) = %q, want %q", tt.market, got, tt.wantCabins)
		}
		if got, _ := p.Currency(m, tt.cabin); got != tt.wantCurr {
			t.Errorf("Currency(%s, %s) = %q, want %q", tt.market, tt.cabin, got, tt.wantCurr)
		}
	}
}

func TestCheckQuote(t *testing.T) {
	p := mustParse(t, basePolicy)
	quote := func(key, cabin, fare, currency string) *inventory.CompetitorFare {
		return &inventory.CompetitorFare{Route: market(t, key), Cabin: cabin, Carrier: "BA", Fare: decimal.RequireFromString(fare), Currency: currency}
	}
	tests := []struct {
		name    string
		q       *inventory.CompetitorFare
		wantErr string // "" for accepted
	}{
		{"same currency", quote("JFK-LHR/2027-06-01", "Y", "480.00", "USD"), ""},
		{"foreign with rate", quote("JFK-LHR/2027-06-01", "Y", "380.00", "GBP"), ""},
		{"foreign without rate", quote("JFK-LHR/2027-06-01", "Y", "440.00", "EUR"), "no exchange rate EUR/USD"},
		{"dated entry in EUR has no GBP rate", quote("JFK-LHR/2027-12-24", "Y", "380.00", "GBP"), "no exchange rate GBP/EUR"},
		{"market not covered", quote("LHR-JFK/2027-06-01", "Y", "440.00", "EUR"), ""},
		{"unknown currency", quote("JFK-LHR/2027-06-01", "Y", "440.00", "XYZ"), "invalid competitor fare currency"},
		{"zero fare", quote("JFK-LHR/2027-06-01", "Y", "0", "USD"), "want an amount above zero"},
	}
	for _, tt := range tests {
		err := p.CheckQuote(tt.q)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: CheckQuote = %v, want nil", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: CheckQuote = %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
}

// A policy with many mistakes is rejected with every one of them listed.
func TestParsePolicyListsEveryProblem(t *testing.T) {
	const bad = `
version: ""
effective_at: 2027-03-01
defaults:
  currency: XYZ
  rounding: bankers
  max_quote_age: 1d
  protection_method: magic
  pace_curve:
    - {days: 30, load_factor: "0"}
  exchange_rates: {EURUSD: "1.08", GBP/USD: "-1"}
rules:
  - id: dup
    effect: {percent: "5", amount: "10"}
  - id: dup
    when: {load_factor: {between: ["90", "80"]}}
    effect: {percent: "-100"}
  - id: round
    effect: {competitor: match, amount: "5"}
  - id: gap
    routes: [JFKX, LHR-JFK]
    cabins: [F]
    when: {days_to_departure: {at_or_above: "1.5", at_or_below: "3"}}
    effect: {competitor: undercut}
    min: "500"
    max: "400"
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "95.00"
        ceiling: "90.00"
        ladder:
          - {class: Y, fare: "500.005"}
          - {class: B, fare: "600.00", protect: -1}
          - {class: B, fare: "abc"}
  - route: JFK-LHR
    currency: USD
    price_points: {step: "10", offset: "9"}
    cabins:
      Y:
        floor: "95.00"
        ceiling: "999.00"
        ladder:
          - {class: Y, fare: "500.00", protect: 20}
          - {class: B, fare: "400.00", protect: 10}
          - {class: M, fare: "300.00", protect: 5}
        rules:
          - id: pace-rule
            classes: [Z]
            when: {pace: {at_or_above: "1.1"}}
            effect: {percent: "5"}
  - route: JFKLHR
    cabins: {}
`
	_, err := ParsePolicy([]byte(bad))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("ParsePolicy error = %v, want a *ValidationError", err)
	}
	// The invalid defaults.currency and defaults.pace_curve are each
	// reported once. No "currency: missing" follows for markets[0], and no
	// "no pace_curve" for pace-rule.
	want := []string{
		"version: missing",
		`effective_at: "2027-03-01" is not an RFC 3339 time`,
		`defaults.currency: "XYZ" is not an ISO 4217 currency`,
		`defaults.rounding: "bankers" is not a rounding mode`,
		`defaults.max_quote_age: "1d" is not a positive duration`,
		`defaults.protection_method: "magic" is not a protection method`,
		"defaults.pace_curve[0].load_factor: 0 must be above 0",
		`defaults.exchange_rates.EURUSD: "EURUSD" is not a currency pair`,
		"defaults.exchange_rates.GBP/USD: -1 must be above 0",
		"rules[0].effect: sets both percent and amount",
		`rules[1].id: "dup" is already the id of rules[0]`,
		"rules[1].when.load_factor.between: low 90 is above high 80",
		"rules[1].effect.percent: -100 would take the price to zero or below",
		`rules[2].id: "round" names a guardrail step`,
		"rules[2].effect: match takes no offset",
		`rules[3].routes[0]: "JFKX" is not a route`,
		"rules[3].when.days_to_departure: set exactly one of at_or_above, at_or_below or between (found 2)",
		"rules[3].effect: undercut needs exactly one offset",
		"rules[3].min: 500 is above max 400",
		"markets[0].cabins.Y.ladder[1].fare: 600.00 is not below the fare of class Y above it",
		"markets[0].cabins.Y.ladder[1].protect: -1 is negative",
		`markets[0].cabins.Y.ladder[2].class: "B" appears twice in the ladder`,
		`markets[0].cabins.Y.ladder[2].fare: "abc" is not a decimal number`,
		"markets[0].cabins.Y.floor: 95.00 is above the ceiling 90.00",
		"markets[1].cabins.Y.floor: 95.00 is not a price point (price points are 9 plus multiples of 10); use 89 or 99",
		"markets[1].cabins.Y.ladder[1].protect: 10 is below the 20 protected for the classes above",
		"markets[1].cabins.Y.ladder[2].protect: 5 on the lowest class protects nothing",
		`markets[1].cabins.Y.rules[0].classes[0]: "Z" is not in this cabin's ladder`,
		"markets[1].cabins.Y: route JFK-LHR cabin Y is already priced by markets[0]",
		`markets[2].route: "JFKLHR" is not a route`,
		"markets[2].cabins: empty",
		`rules[3].routes[1]: "LHR-JFK" is not the route of any market`,
		`rules[3].cabins[0]: "F" is not a cabin of any market`,
	}
	text := err.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("error does not list %q\ngot:\n%s", w, text)
		}
	}
	if len(ve.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(ve.Problems), len(want), text)
	}
}

func TestParsePolicyRejectsBadDocuments(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "the document is empty"},
		{"two documents", basePolicy + "\n---\nversion: v2\n", "more than one YAML document"},
		{"syntax error", "version: [v1\n", "invalid policy"},
		{"text for a number", strings.Replace(basePolicy, "protect: 10", "protect: ten", 1), `markets[0].cabins.Y.ladder[0].protect (line 14): "ten" is not a whole number`},
	}
	for _, tt := range tests {
		_, err := ParsePolicy([]byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ParsePolicy error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestParsePolicyDigitsOfCurrency(t *testing.T) {
	text := strings.Replace(basePolicy, `fare: "42000"`, `fare: "42000.5"`, 1)
	_, err := ParsePolicy([]byte(text))
	want := "markets[2].cabins.Y.ladder[0].fare: 42000.5 has more decimal places than JPY allows (0); write 42001"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ParsePolicy error = %v, want one containing %q", err, want)
	}
}

func TestLoadPolicyFileMissing(t *testing.T) {
	_, err := LoadPolicyFile("testdata/no-such-policy.yaml")
	if err == nil || !strings.Contains(err.Error(), "no-such-policy.yaml") {
		t.Errorf("LoadPolicyFile(missing) error = %v, want one naming the file", err)
	}
}

// Each mutation of the base policy is rejected with a message naming the
// field and value.
func TestParsePolicyFieldChecks(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"price point step missing", "  currency: USD\n", "  currency: USD\n  price_points: {offset: \"9\"}\n", "defaults.price_points.step: missing"},
		{"price point offset at step", "  currency: USD\n", "  currency: USD\n  price_points: {step: \"10\", offset: \"10\"}\n", "defaults.price_points.offset: 10 must be at least 0 and below the step 10"},
		{"price point snap unknown", "  currency: USD\n", "  currency: USD\n  price_points: {step: \"10\", snap: sideways}\n", `defaults.price_points.snap: "sideways" is not a snap direction`},
		{"price point finer than JPY", "    currency: JPY\n", "    currency: JPY\n    price_points: {step: \"0.5\"}\n", "markets[2].price_points.step: 0.5 has more decimal places than JPY allows (0)"},
		{"date range reversed", `dates: {from: "2027-12-20", to: "2027-12-31"}`, `dates: {from: "2027-12-31", to: "2027-12-20"}`, "markets[1].dates: from 2027-12-31 is after to 2027-12-20"},
		{"date invalid", `to: "2027-12-31"`, `to: "2027-13-31"`, `markets[1].dates.to: "2027-13-31" is not a date`},
		{"empty date range", `dates: {from: "2027-12-20", to: "2027-12-31"}`, `dates: {}`, "markets[1].dates: empty"},
		{"fare too large", `fare: "5000.00"`, `fare: "5e15"`, "is too large for a price"},
		{"cabin code", "      J:\n", "      j1:\n", `markets[0].cabins.j1: "j1" is not a cabin code`},
		{"class code", "{class: B,", "{class: BB,", `markets[0].cabins.Y.ladder[1].class: "BB" is not a booking class`},
		{"floor missing", "        floor: \"1000.00\"\n", "", "markets[0].cabins.J.floor: missing"},
		{"ceiling zero", `ceiling: "9000.00"`, `ceiling: "0"`, "markets[0].cabins.J.ceiling: 0 must be above 0"},
		{"version with spaces", "version: v1", "version: v 1", `version: "v 1" contains spaces`},
		{"exchange rate text", `GBP/USD: "1.2650"`, `GBP/USD: "one"`, `defaults.exchange_rates.GBP/USD: "one" is not a decimal number`},
		{"pace days twice", "  currency: USD\n", "  currency: USD\n  pace_curve: [{days: 5, load_factor: \"50\"}, {days: 5, load_factor: \"60\"}]\n", "defaults.pace_curve[1].days: 5 appears twice"},
		{"routes filter on cabin rule", "          - {class: J, fare: \"5000.00\"}\n", "          - {class: J, fare: \"5000.00\"}\n        rules: [{id: j, routes: [JFK-LHR], effect: {percent: \"1\"}}]\n", "markets[0].cabins.J.rules[0]: routes and cabins filters belong to top-level rules"},
	}
	for _, tt := range tests {
		if !strings.Contains(basePolicy, tt.old) {
			t.Fatalf("%s: base policy lacks %q", tt.name, tt.old)
		}
		_, err := ParsePolicy([]byte(strings.Replace(basePolicy, tt.old, tt.new, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ParsePolicy error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestParsePolicyRuleChecks(t *testing.T) {
	tests := []struct {
		name, rule, want string
	}{
		{"between needs two values", `{id: r, when: {pace: {between: ["1"]}}, effect: {percent: "1"}}`, "rules[0].when.pace.between: has 1 values"},
		{"days must be whole", `{id: r, when: {days_to_departure: {at_or_below: "1.5"}}, effect: {percent: "1"}}`, "rules[0].when.days_to_departure.at_or_below: 1.5 is not a whole number"},
		{"seats never negative", `{id: r, when: {seats_left: {at_or_above: "-1"}}, effect: {percent: "1"}}`, "rules[0].when.seats_left.at_or_above: -1 is negative"},
		{"no effect", `{id: r}`, "rules[0].effect: missing"},
		{"unknown competitor effect", `{id: r, effect: {competitor: beat}}`, `rules[0].effect.competitor: "beat" is not a competitor effect`},
		{"negative undercut", `{id: r, effect: {competitor: undercut, amount: "-5"}}`, "rules[0].effect.amount: -5 is negative"},
		{"undercut of 100 percent", `{id: r, effect: {competitor: undercut, percent: "100"}}`, "rules[0].effect.percent: 100 is out of range"},
		{"bound zero", `{id: r, effect: {percent: "1"}, min: "0"}`, "rules[0].min: 0 must be above 0"},
		{"negative priority", `{id: r, priority: -1, effect: {percent: "1"}}`, "rules[0].priority: -1 is negative"},
		{"id with spaces", `{id: "my rule", effect: {percent: "1"}}`, `rules[0].id: "my rule" is not a rule id`},
		{"missing id", `{effect: {percent: "1"}}`, "rules[0].id: missing"},
		{"pace without curve", `{id: r, when: {pace: {at_or_above: "1"}}, effect: {percent: "1"}}`, "markets[0].cabins.J: rule r has a pace condition but this cabin has no pace_curve"},
	}
	for _, tt := range tests {
		text := strings.Replace(basePolicy, "markets:\n", "rules:\n  - "+tt.rule+"\nmarkets:\n", 1)
		_, err := ParsePolicy([]byte(text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ParsePolicy error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
