package pricing

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// smallPolicy is valid, and it starts on line 1 so that the tests below
// can read line numbers off it. defaults.max_quote_age is on line 5,
// rules[0].effect on line 8, the cabin's floor on line 13 and the first
// rung of the ladder on line 16.
const smallPolicy = `version: v1
effective_at: 2027-03-01T00:00:00Z
defaults:
  currency: USD
  max_quote_age: 24h
rules:
  - id: up
    effect: {percent: "5"}
markets:
  - route: JFK-LHR
    cabins:
      Y:
        floor: "100.00"
        ceiling: "2000.00"
        ladder:
          - {class: Y, fare: "900.00", protect: 10}
          - {class: B, fare: "500.00"}
`

// problemsOf returns the problems ParsePolicy lists for text, one string
// each, or nil when the policy is valid.
func problemsOf(t *testing.T, text string) []string {
	t.Helper()
	_, err := ParsePolicy([]byte(text))
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("ParsePolicy error = %v, want a *ValidationError", err)
	}
	list := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		list[i] = p.String()
	}
	return list
}

// mutate applies old->new replacements to smallPolicy, failing when one
// does not match, so a case cannot silently test the unchanged policy.
func mutate(t *testing.T, replacements ...string) string {
	t.Helper()
	text := smallPolicy
	for i := 0; i+1 < len(replacements); i += 2 {
		if !strings.Contains(text, replacements[i]) {
			t.Fatalf("smallPolicy lacks %q", replacements[i])
		}
		text = strings.Replace(text, replacements[i], replacements[i+1], 1)
	}
	return text
}

func checkProblems(t *testing.T, name string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: problems\ngot:\n  %s\nwant:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestSmallPolicyIsValid(t *testing.T) {
	if got := problemsOf(t, smallPolicy); got != nil {
		t.Fatalf("smallPolicy problems = %q, want none", got)
	}
}

func TestParsePolicyUnknownKeys(t *testing.T) {
	tests := []struct {
		name         string
		replacements []string
		want         []string
	}{
		{
			"misspelt setting",
			[]string{"  max_quote_age: 24h", "  max_qoute_age: 24h"},
			[]string{"defaults.max_qoute_age (line 5): unknown key; did you mean max_quote_age?"},
		},
		{
			// The misspelt effect and floor are not reported again as missing.
			"every unknown key listed",
			[]string{"  max_quote_age", "  max_qoute_age", "effect:", "efect:", "floor:", "flor:"},
			[]string{
				"defaults.max_qoute_age (line 5): unknown key; did you mean max_quote_age?",
				"rules[0].efect (line 8): unknown key; did you mean effect?",
				"markets[0].cabins.Y.flor (line 13): unknown key; did you mean floor?",
			},
		},
		{
			"no close key",
			[]string{"  max_quote_age: 24h", "  colour: blue"},
			[]string{"defaults.colour (line 5): unknown key; use one of currency, rounding, max_quote_age, pace_curve, price_points, exchange_rates, protection_method, or remove it"},
		},
		{
			"top-level key",
			[]string{"version: v1", "versoin: v1"},
			[]string{"versoin (line 1): unknown key; did you mean version?"},
		},
		{
			// The currency is not reported missing for the cabin either.
			"capitalised key",
			[]string{"  currency: USD", "  Currency: USD"},
			[]string{"defaults.Currency (line 4): unknown key; did you mean currency?"},
		},
		{
			"key in a flow mapping",
			[]string{`{class: B, fare: "500.00"}`, `{class: B, fair: "500.00"}`},
			[]string{"markets[0].cabins.Y.ladder[1].fair (line 17): unknown key; did you mean fare?"},
		},
		{
			"inline setting on a cabin",
			[]string{"      Y:\n", "      Y:\n        roundng: up\n"},
			[]string{"markets[0].cabins.Y.roundng (line 13): unknown key; did you mean rounding?"},
		},
		{
			// "to" is 2 edits from "xy", but that is too far for a 2-letter key.
			"short key not guessed",
			[]string{"  - route: JFK-LHR\n", "  - route: JFK-LHR\n    dates: {from: \"2027-01-01\", xy: \"2027-02-01\"}\n"},
			[]string{"markets[0].dates.xy (line 11): unknown key; use one of from, to, or remove it"},
		},
		{
			// A key the document already has is still reported missing when
			// its value is empty, so only the unknown key is marked.
			"close key already present",
			[]string{"  max_quote_age: 24h", "  max_quote_age: 24h\n  max_quote_ages: 12h"},
			[]string{"defaults.max_quote_ages (line 6): unknown key; did you mean max_quote_age?"},
		},
	}
	for _, tt := range tests {
		checkProblems(t, tt.name, problemsOf(t, mutate(t, tt.replacements...)), tt.want)
	}
}

// Values of the wrong kind are reported with their path and line, without
// Go type names, and the validator does not report them again.
func TestParsePolicyWrongKinds(t *testing.T) {
	tests := []struct {
		name         string
		replacements []string
		want         []string
	}{
		{
			"text for a whole number",
			[]string{"protect: 10", "protect: ten"},
			[]string{`markets[0].cabins.Y.ladder[0].protect (line 16): "ten" is not a whole number; write one such as 10`},
		},
		{
			"quoted whole number",
			[]string{"protect: 10", `protect: "10"`},
			[]string{`markets[0].cabins.Y.ladder[0].protect (line 16): "10" is quoted text; write the whole number 10 without quotes`},
		},
		{
			"fraction for a whole number",
			[]string{"protect: 10", "protect: 1.5"},
			[]string{`markets[0].cabins.Y.ladder[0].protect (line 16): "1.5" is not a whole number; write one such as 10`},
		},
		{
			"list for a single value",
			[]string{"  currency: USD", "  currency: [USD]"},
			[]string{"defaults.currency (line 4): expected a single value, found a list; write one value"},
		},
		{
			"single value for a list",
			[]string{"  - id: up\n", "  - id: up\n    routes: JFK-LHR\n"},
			[]string{`rules[0].routes (line 8): expected a list, found "JFK-LHR"; write it as [JFK-LHR]`},
		},
		{
			"list for key-value pairs",
			[]string{"  max_quote_age: 24h", "  max_quote_age: 24h\n  exchange_rates: [GBP/USD]"},
			[]string{"defaults.exchange_rates (line 6): expected key: value pairs, found a list; write them as {key: value} or one key: value per line"},
		},
		{
			"value for a settings block",
			[]string{"defaults:\n  currency: USD\n  max_quote_age: 24h\n", "defaults: USD\n\n\n"},
			[]string{`defaults (line 3): expected key: value pairs with keys such as currency, rounding, max_quote_age, found "USD"`},
		},
		{
			// The bad rung stays in the list as an empty one, so the next
			// rung keeps its index.
			"value for a list item",
			[]string{`- {class: Y, fare: "900.00", protect: 10}`, "- Y", `fare: "500.00"`, `fare: "abc"`},
			[]string{
				`markets[0].cabins.Y.ladder[0] (line 16): expected key: value pairs with keys such as class, fare, protect, found "Y"`,
				`markets[0].cabins.Y.ladder[1].fare: "abc" is not a decimal number; write one such as 120.50, without thousands separators or currency`,
			},
		},
		{
			// The cabin stays in the map, so cabins is not reported empty.
			"value for a cabin",
			[]string{smallPolicy[strings.Index(smallPolicy, "    cabins:"):], "    cabins: {Y: x}\n"},
			[]string{`markets[0].cabins.Y (line 11): expected key: value pairs with keys such as ladder, floor, ceiling, found "x"`},
		},
		{
			// The first floor is kept, so the cabin is otherwise checked.
			"duplicate key",
			[]string{`        floor: "100.00"` + "\n", `        floor: "100.00"` + "\n" + `        floor: "110.00"` + "\n"},
			[]string{"markets[0].cabins.Y.floor (line 14): key written twice (lines 13 and 14); keep one"},
		},
	}
	for _, tt := range tests {
		got := problemsOf(t, mutate(t, tt.replacements...))
		checkProblems(t, tt.name, got, tt.want)
		for _, p := range got {
			if strings.Contains(p, "pricing.") || strings.Contains(p, "!!") || strings.Contains(p, "unmarshal") {
				t.Errorf("%s: problem %q names decoder internals", tt.name, p)
			}
		}
	}
}

func TestParsePolicyDocumentNotMapping(t *testing.T) {
	got := problemsOf(t, "- version: v1\n")
	want := []string{"line 1: expected key: value pairs with keys such as version, effective_at, defaults, found a list"}
	checkProblems(t, "list document", got, want)
}

// Anchors, aliases and merge keys are YAML, not unknown keys.
func TestParsePolicyAnchorsAndMerges(t *testing.T) {
	text := mutate(t,
		"defaults:\n", "defaults: &base\n",
		"  - route: JFK-LHR\n", "  - route: JFK-LHR\n    <<: *base\n",
	)
	if got := problemsOf(t, text); got != nil {
		t.Errorf("policy with a merge key: problems %q, want none", got)
	}

	// An unknown key inside the merged mapping is reported at every path it
	// is merged into, on its own line.
	text = mutate(t,
		"defaults:\n", "defaults: &base\n",
		"  max_quote_age: 24h", "  max_qoute_age: 24h",
		"  - route: JFK-LHR\n", "  - route: JFK-LHR\n    <<: *base\n",
	)
	want := []string{
		"defaults.max_qoute_age (line 5): unknown key; did you mean max_quote_age?",
		"markets[0].max_qoute_age (line 5): unknown key; did you mean max_quote_age?",
	}
	checkProblems(t, "merge with a misspelt key", problemsOf(t, text), want)
}

func TestClosestKey(t *testing.T) {
	known := []string{"currency", "rounding", "max_quote_age", "to", "from", "min", "max"}
	tests := []struct {
		key, want string
	}{
		{"max_qoute_age", "max_quote_age"}, // a swap of neighbours costs 1
		{"curency", "currency"},
		{"CURRENCY", "currency"},
		{"rouding", "rounding"},
		{"mxa", "max"},
		{"xy", ""}, // 2 edits from "to", more than half its length
		{"tp", "to"},
		{"colour", ""},
	}
	for _, tt := range tests {
		if got := closestKey(tt.key, known); got != tt.want {
			t.Errorf("closestKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "abc", 0},
		{"abc", "", 3},
		{"qoute", "quote", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment, unlike Damerau-Levenshtein's 2
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// decoderProblem is the fallback for decoder errors the structure check
// did not report; it must drop Go type names too.
func TestDecoderProblem(t *testing.T) {
	tests := []struct {
		message string
		want    Problem
	}{
		{"line 9: field max_qoute_age not found in type pricing.settingsDoc",
			Problem{Line: 9, Message: "unknown key max_qoute_age; check its spelling or remove it"}},
		{"line 4: cannot unmarshal !!str `ten` into int",
			Problem{Line: 4, Message: "value `ten` has the wrong kind for this key; see docs/PRICING.md for the expected form"}},
		{"line 6: cannot unmarshal !!seq into map[string]string",
			Problem{Line: 6, Message: "a value has the wrong kind for its key; see docs/PRICING.md for the expected form"}},
		{"line 7: field floor already set in type pricing.cabinDoc",
			Problem{Line: 7, Message: "key floor written twice; keep one"}},
		{"line 3: mapping key \"Y\" already defined at line 2",
			Problem{Line: 3, Message: "mapping key \"Y\" already defined at line 2"}},
		{"something else", Problem{Message: "something else"}},
	}
	for _, tt := range tests {
		if got := decoderProblem(tt.message); got != tt.want {
			t.Errorf("decoderProblem(%q) = %+v, want %+v", tt.message, got, tt.want)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "defaults.x", Line: 9, Message: "m"}, "defaults.x (line 9): m"},
		{Problem{Path: "defaults.x", Message: "m"}, "defaults.x: m"},
		{Problem{Line: 1, Message: "m"}, "line 1: m"},
		{Problem{Message: "m"}, "m"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// An invalid or empty value is one problem, never followed by a "missing"
// for the same setting.
func TestParsePolicyNoFollowOnProblems(t *testing.T) {
	tests := []struct {
		name         string
		replacements []string
		want         []string
	}{
		{
			"invalid currency",
			[]string{"  currency: USD", "  currency: USX"},
			[]string{`defaults.currency: "USX" is not an ISO 4217 currency code this engine knows; use one such as USD, EUR or JPY`},
		},
		{
			// The market's invalid code hides the defaults' USD, so the fares
			// are not checked against USD's digits either.
			"invalid currency on a market",
			[]string{"  - route: JFK-LHR\n", "  - route: JFK-LHR\n    currency: KWX\n", `fare: "900.00"`, `fare: "900.125"`},
			[]string{`markets[0].currency: "KWX" is not an ISO 4217 currency code this engine knows; use one such as USD, EUR or JPY`},
		},
		{
			"no currency anywhere",
			[]string{"  currency: USD\n", ""},
			[]string{"markets[0].cabins.Y.currency: missing; set defaults.currency, or currency on the market or cabin"},
		},
		{
			"markets empty",
			[]string{smallPolicy[strings.Index(smallPolicy, "markets:"):], "markets: []\n"},
			[]string{"markets: empty; add at least one market"},
		},
		{
			// The rule's routes filter is not reported as naming no market.
			"markets empty with a filtered rule",
			[]string{"  - id: up\n", "  - id: up\n    routes: [JFK-LHR]\n", smallPolicy[strings.Index(smallPolicy, "markets:"):], "markets: []\n"},
			[]string{"markets: empty; add at least one market"},
		},
		{
			"markets missing",
			[]string{smallPolicy[strings.Index(smallPolicy, "markets:"):], ""},
			[]string{"markets: missing; add at least one market with a route and a cabin ladder"},
		},
		{
			"cabins empty",
			[]string{smallPolicy[strings.Index(smallPolicy, "    cabins:"):], "    cabins: {}\n"},
			[]string{"markets[0].cabins: empty; add at least one cabin, for example Y, with its fare ladder"},
		},
		{
			"ladder empty",
			[]string{smallPolicy[strings.Index(smallPolicy, "        ladder:"):], "        ladder: []\n"},
			[]string{"markets[0].cabins.Y.ladder: empty; list the booking classes from the highest base fare down, each with class and fare"},
		},
		{
			"invalid pace curve",
			[]string{
				"  max_quote_age: 24h", "  max_quote_age: 24h\n  pace_curve: [{days: 30, load_factor: \"0\"}]",
				`effect: {percent: "5"}`, `effect: {percent: "5"}` + "\n    when: {pace: {at_or_above: \"1.1\"}}",
			},
			[]string{"defaults.pace_curve[0].load_factor: 0 must be above 0, because pace divides by it"},
		},
		{
			"pace rule without a curve",
			[]string{`effect: {percent: "5"}`, `effect: {percent: "5"}` + "\n    when: {pace: {at_or_above: \"1.1\"}}"},
			[]string{"markets[0].cabins.Y: rule up has a pace condition but this cabin has no pace_curve; set defaults.pace_curve or one on the market or cabin"},
		},
	}
	for _, tt := range tests {
		checkProblems(t, tt.name, problemsOf(t, mutate(t, tt.replacements...)), tt.want)
	}
}

// threeCurrencies prices JFK-LHR in USD, HND-CTS in JPY and KWI-DXB in KWD.
// Only JFK-LHR has cabin J. RULE is replaced by the rule under test.
const threeCurrencies = `version: v1
effective_at: 2027-03-01T00:00:00Z
defaults: {currency: USD}
rules:
  - RULE
markets:
  - route: JFK-LHR
    cabins:
      Y: {floor: "100.00", ceiling: "2000.00", ladder: [{class: Y, fare: "900.00"}]}
      J: {floor: "1000.00", ceiling: "9000.00", ladder: [{class: J, fare: "5000.00"}]}
  - route: HND-CTS
    currency: JPY
    cabins:
      Y: {floor: "8000", ceiling: "60000", ladder: [{class: Y, fare: "42000"}]}
  - route: KWI-DXB
    currency: KWD
    cabins:
      Y: {floor: "25.000", ceiling: "400.000", ladder: [{class: Y, fare: "185.500"}]}
`

func TestParsePolicyAmountsAcrossCurrencies(t *testing.T) {
	const all = "(USD, JPY, KWD)"
	tests := []struct {
		name, rule string
		want       []string // nil for a valid policy
	}{
		{"amount on every market", `{id: r, effect: {amount: "25"}}`,
			[]string{"rules[0]: an amount effect applies in every currency of the markets it covers " + all + "; limit it with routes or use percent"}},
		{"amount on one route", `{id: r, routes: [HND-CTS], effect: {amount: "25"}}`, nil},
		{"amount on routes in two currencies", `{id: r, routes: [JFK-LHR, KWI-DXB], effect: {amount: "25"}}`,
			[]string{"rules[0]: an amount effect applies in every currency of the markets it covers (USD, KWD); limit it with routes or use percent"}},
		{"amount on a cabin one market has", `{id: r, cabins: [J], effect: {amount: "25"}}`, nil},
		{"percent on every market", `{id: r, effect: {percent: "5"}}`, nil},
		{"undercut amount", `{id: r, effect: {competitor: undercut, amount: "5"}}`,
			[]string{"rules[0]: an undercut amount applies in every currency of the markets it covers " + all + "; limit it with routes or use percent"}},
		{"premium amount", `{id: r, effect: {competitor: premium, amount: "5"}}`,
			[]string{"rules[0]: a premium amount applies in every currency of the markets it covers " + all + "; limit it with routes or use percent"}},
		{"undercut percent", `{id: r, effect: {competitor: undercut, percent: "3"}}`, nil},
		{"match", `{id: r, effect: {competitor: match}}`, nil},
		{"bounds", `{id: r, effect: {percent: "5"}, min: "199", max: "900"}`,
			[]string{
				"rules[0].min: 199 is an amount, so it bounds prices in every currency of the markets the rule covers " + all + "; limit the rule with routes, or remove the bound",
				"rules[0].max: 900 is an amount, so it bounds prices in every currency of the markets the rule covers " + all + "; limit the rule with routes, or remove the bound",
			}},
		{"amount and bound", `{id: r, effect: {amount: "25"}, max: "900"}`,
			[]string{
				"rules[0]: an amount effect applies in every currency of the markets it covers " + all + "; limit it with routes or use percent",
				"rules[0].max: 900 is an amount, so it bounds prices in every currency of the markets the rule covers " + all + "; limit the rule with routes, or remove the bound",
			}},
	}
	for _, tt := range tests {
		text := strings.Replace(threeCurrencies, "RULE", tt.rule, 1)
		checkProblems(t, tt.name, problemsOf(t, text), tt.want)
	}
}

// A dated market entry in another currency counts as a second currency of
// its route.
func TestParsePolicyAmountOnDatedCurrency(t *testing.T) {
	text := strings.Replace(basePolicy, "markets:\n", "rules:\n  - {id: r, routes: [JFK-LHR], effect: {amount: \"25.00\"}}\nmarkets:\n", 1)
	want := []string{"rules[0]: an amount effect applies in every currency of the markets it covers (USD, EUR); limit it with routes or use percent"}
	checkProblems(t, "amount on JFK-LHR", problemsOf(t, text), want)
}
