package pricing

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Policy is a validated pricing policy: fare ladders, protection, rules and
// guardrails per market and cabin, under one version. It never changes after
// ParsePolicy returns it, so any number of goroutines may use it at once.
type Policy struct {
	version     string
	effectiveAt time.Time
	// digest is the SHA-256 of the text the policy was parsed from, so a
	// second text published under the same version can be detected.
	digest [sha256.Size]byte
	// routes lists the market entries of each route in document order.
	routes map[routeKey][]*marketEntry
}

type routeKey struct {
	origin, destination string
}

// marketEntry is one element of the policy's markets list.
type marketEntry struct {
	// from and to bound the departure dates the entry covers, both
	// inclusive. dated is false for an entry that covers every date.
	from, to time.Time
	dated    bool
	cabins   map[string]*cabinPolicy
}

func (e *marketEntry) covers(date time.Time) bool {
	if !e.dated {
		return true
	}
	return !date.Before(e.from) && !date.After(e.to)
}

// ProtectionMethod names how protection levels are computed when a
// load-factor snapshot carries a remaining-demand forecast.
type ProtectionMethod string

const (
	// ProtectEMSRb uses EMSR-b on the forecast. It is the default.
	ProtectEMSRb ProtectionMethod = "emsr_b"
	// ProtectEMSRa uses EMSR-a on the forecast.
	ProtectEMSRa ProtectionMethod = "emsr_a"
	// ProtectStatic ignores forecasts and always uses the policy's static
	// protection levels.
	ProtectStatic ProtectionMethod = "static"
)

// ParsePolicy reads and validates a policy from YAML (or JSON, which is a
// subset of YAML). On failure the error is a *ValidationError that lists
// every problem found, each with its field path and value: unknown keys
// (with the closest known key), values of the wrong kind and the
// validator's checks. A YAML syntax error stops parsing at the first one.
func ParsePolicy(data []byte) (*Policy, error) {
	root, err := readDocument(data)
	if err != nil {
		return nil, err
	}

	// The structure check runs first and marks the fields it reported, so
	// the validator does not report them a second time as missing.
	var ps problems
	checkDocument(root, &ps)
	doc, err := decodePolicy(root, &ps)
	if err != nil {
		return nil, err
	}
	p := compile(doc, &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	p.digest = sha256.Sum256(data)
	return p, nil
}

// Digest returns the SHA-256 of the text the policy was parsed from.
func (p *Policy) Digest() [sha256.Size]byte { return p.digest }

// readDocument parses data into a YAML node tree, which must hold exactly
// one document.
func readDocument(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	err := dec.Decode(&root)
	if errors.Is(err, io.EOF) {
		return nil, errors.New("invalid policy: the document is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("invalid policy: %w", err)
	}
	var extra yaml.Node
	if dec.Decode(&extra) != io.EOF {
		return nil, errors.New("invalid policy: found more than one YAML document; put exactly one policy in a file")
	}
	return &root, nil
}

// decodePolicy fills the document types from the node tree. The decoder
// skips unknown keys and values of the wrong kind, which checkDocument has
// reported with their paths. A decoder error on a line that checkDocument
// did not report is added as it is, without Go type names.
func decodePolicy(root *yaml.Node, ps *problems) (*policyDoc, error) {
	var doc policyDoc
	err := root.Decode(&doc)
	var typeErr *yaml.TypeError
	if err != nil && !errors.As(err, &typeErr) {
		return nil, fmt.Errorf("invalid policy: %w", err)
	}
	if typeErr == nil {
		return &doc, nil
	}
	lines := make(map[int]bool, len(ps.list))
	for _, p := range ps.list {
		lines[p.Line] = true
	}
	for _, msg := range typeErr.Errors {
		if p := decoderProblem(msg); !lines[p.Line] || p.Line == 0 {
			ps.addLine(p.Line, p.Path, "%s", p.Message)
		}
	}
	return &doc, nil
}

// LoadPolicyFile reads and validates the policy file at path.
func LoadPolicyFile(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	p, err := ParsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("policy file %s: %w", path, err)
	}
	return p, nil
}

// Version returns the policy's version as written in the file.
func (p *Policy) Version() string { return p.version }

// EffectiveAt returns the policy's effective_at: the event time of the
// decisions that the policy change itself causes. It orders nothing. The
// engine applies a version from the moment it reads it, whatever this time.
func (p *Policy) EffectiveAt() time.Time { return p.effectiveAt }

// Covers reports whether the policy has a fare ladder for the market's route
// and departure date in that cabin.
func (p *Policy) Covers(m inventory.Market, cabin string) bool {
	return p.cabin(m, cabin) != nil
}

// Cabins returns the cabins the policy has a fare ladder for in the market,
// sorted.
func (p *Policy) Cabins(m inventory.Market) []string {
	var cabins []string
	for _, e := range p.routes[routeKey{m.Origin, m.Destination}] {
		if !e.covers(m.Date) {
			continue
		}
		for name := range e.cabins {
			if !slices.Contains(cabins, name) {
				cabins = append(cabins, name)
			}
		}
	}
	slices.Sort(cabins)
	return cabins
}

// Currency returns the currency the policy prices the market's cabin in, and
// false when the policy does not cover it.
func (p *Policy) Currency(m inventory.Market, cabin string) (string, bool) {
	cp := p.cabin(m, cabin)
	if cp == nil {
		return "", false
	}
	return cp.currency, true
}

// CheckQuote returns an error when the policy could never use the quote: an
// unknown currency, a fare of zero or less, or a currency other than the
// cabin's without an exchange rate in the policy. The error text names the
// reason.
// A quote for a market or cabin the policy does not cover is accepted (nil),
// because a later policy version may cover it.
func (p *Policy) CheckQuote(q *inventory.CompetitorFare) error {
	if _, ok := MinorUnits(q.Currency); !ok {
		return fmt.Errorf("invalid competitor fare currency %q: want an ISO 4217 code such as USD", q.Currency)
	}
	if !q.Fare.IsPositive() {
		return fmt.Errorf("invalid competitor fare %s %s: want an amount above zero", q.Fare, q.Currency)
	}
	cp := p.cabin(q.Route, q.Cabin)
	if cp == nil || q.Currency == cp.currency {
		return nil
	}
	if _, ok := cp.rates[q.Currency]; !ok {
		return fmt.Errorf("competitor fare in %s for market %s cabin %s: policy %s prices it in %s and has no exchange rate %s/%s; add one under exchange_rates",
			q.Currency, q.Route, q.Cabin, p.version, cp.currency, q.Currency, cp.currency)
	}
	return nil
}

// cabin returns the pricing of one cabin of the market, or nil when the
// policy has none. An entry with a date range covering the date wins over
// one for all dates. The validator allows only one of each kind per route,
// date and cabin, so the choice is never ambiguous.
func (p *Policy) cabin(m inventory.Market, cabin string) *cabinPolicy {
	var allDates *cabinPolicy
	for _, e := range p.routes[routeKey{m.Origin, m.Destination}] {
		cp := e.cabins[cabin]
		if cp == nil || !e.covers(m.Date) {
			continue
		}
		if e.dated {
			return cp
		}
		if allDates == nil {
			allDates = cp
		}
	}
	return allDates
}

// cabinPolicy is everything Decide needs to price one cabin of one market
// entry, resolved from the defaults, the market and the cabin.
type cabinPolicy struct {
	settings
	classes []string          // class codes from class 1 (highest base fare) down
	fares   []decimal.Decimal // base fares, parallel to classes
	// fareFloats are the base fares as float64 for EMSR, which works on
	// probabilities and needs no exact money.
	fareFloats []float64
	// static holds P_1..P_{n-1}: seats protected for classes 1..j together.
	static  []int
	floor   decimal.Decimal
	ceiling decimal.Decimal
	// units holds floor, ceiling and price points in minor units.
	units cabinUnits
	// rules adjust the running price (percent and amount), and
	// competitorRules set the offered class from the lowest competitor
	// fare. Both are sorted by priority, then id.
	rules           []*rule
	competitorRules []*rule
}

// settings are the values a market or cabin entry may override.
type settings struct {
	currency    string
	places      int32 // the currency's minor digits
	rounding    RoundingMode
	maxQuoteAge time.Duration
	pace        []pacePoint // sorted by days, ascending, and nil without a curve
	// paceInvalid is true when the policy wrote a pace curve for this cabin
	// that failed validation, so checkPaceRules does not report it missing.
	paceInvalid bool
	points      *pricePoints
	// rates converts a quote currency into this cabin's currency: one unit
	// of the key is worth the value in the cabin's currency.
	rates  map[string]decimal.Decimal
	method ProtectionMethod
}

// pacePoint is one point of the expected load-factor curve.
type pacePoint struct {
	days       int
	loadFactor decimal.Decimal // percent
	// units is loadFactor in 10^-paceScale percent for the int64 path of
	// paceAt, valid when fits is true.
	units int64
	fits  bool
}

// paceScale is the decimal places of pacePoint.units. A curve value with
// more places, or 10^15 units or more, leaves the pace to decimals.
const paceScale = 6

// maxClasses bounds a cabin's ladder, because class codes are single
// capital letters and unique in the ladder. Decide keeps per-class values
// in arrays of this size, which stay on the stack.
const maxClasses = 26
