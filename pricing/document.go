package pricing

// The types below mirror the policy file as an analyst writes it. Amounts,
// percentages and times stay text here so the validator can quote the value
// exactly as written. compile turns a valid document into a Policy.

type policyDoc struct {
	Version     string      `yaml:"version"`
	EffectiveAt string      `yaml:"effective_at"`
	Defaults    settingsDoc `yaml:"defaults"`
	Rules       []ruleDoc   `yaml:"rules"`
	Markets     []marketDoc `yaml:"markets"`
}

// settingsDoc holds the settings that defaults set and that a market or a
// cabin may override. An empty field inherits from the level above.
type settingsDoc struct {
	Currency         string            `yaml:"currency"`
	Rounding         string            `yaml:"rounding"`
	MaxQuoteAge      string            `yaml:"max_quote_age"`
	PaceCurve        []pacePointDoc    `yaml:"pace_curve"`
	PricePoints      *pricePointsDoc   `yaml:"price_points"`
	ExchangeRates    map[string]string `yaml:"exchange_rates"`
	ProtectionMethod string            `yaml:"protection_method"`
}

type pacePointDoc struct {
	Days       int    `yaml:"days"`
	LoadFactor string `yaml:"load_factor"`
}

type pricePointsDoc struct {
	Step   string `yaml:"step"`
	Offset string `yaml:"offset"`
	Snap   string `yaml:"snap"`
}

type marketDoc struct {
	Route       string    `yaml:"route"`
	Dates       *datesDoc `yaml:"dates"`
	settingsDoc `yaml:",inline"`
	Cabins      map[string]cabinDoc `yaml:"cabins"`
}

type datesDoc struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

type cabinDoc struct {
	settingsDoc `yaml:",inline"`
	Ladder      []rungDoc `yaml:"ladder"`
	Floor       string    `yaml:"floor"`
	Ceiling     string    `yaml:"ceiling"`
	Rules       []ruleDoc `yaml:"rules"`
}

type rungDoc struct {
	Class   string `yaml:"class"`
	Fare    string `yaml:"fare"`
	Protect int    `yaml:"protect"`
}

type ruleDoc struct {
	ID       string        `yaml:"id"`
	Priority int           `yaml:"priority"`
	Routes   []string      `yaml:"routes"`
	Cabins   []string      `yaml:"cabins"`
	Classes  []string      `yaml:"classes"`
	When     conditionsDoc `yaml:"when"`
	Effect   effectDoc     `yaml:"effect"`
	Min      string        `yaml:"min"`
	Max      string        `yaml:"max"`
}

type conditionsDoc struct {
	LoadFactor      *comparisonDoc `yaml:"load_factor"`
	DaysToDeparture *comparisonDoc `yaml:"days_to_departure"`
	Pace            *comparisonDoc `yaml:"pace"`
	SeatsLeft       *comparisonDoc `yaml:"seats_left"`
	CompetitorGap   *comparisonDoc `yaml:"competitor_gap"`
}

type comparisonDoc struct {
	AtOrAbove string   `yaml:"at_or_above"`
	AtOrBelow string   `yaml:"at_or_below"`
	Between   []string `yaml:"between"`
}

type effectDoc struct {
	Percent    string `yaml:"percent"`
	Amount     string `yaml:"amount"`
	Competitor string `yaml:"competitor"`
}
