package pricing

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// ladderCase is one hand-worked decision under testdata/ladders: a policy,
// the inputs, the full expected decision, and the arithmetic behind it.
type ladderCase struct {
	Name       string    `yaml:"name"`
	Arithmetic string    `yaml:"arithmetic"`
	Policy     string    `yaml:"policy"`
	Input      caseInput `yaml:"input"`
	Want       caseWant  `yaml:"want"`
}

type caseInput struct {
	Flight struct {
		Carrier     string `yaml:"carrier"`
		Number      string `yaml:"number"`
		Origin      string `yaml:"origin"`
		Destination string `yaml:"destination"`
		Date        string `yaml:"date"`
		TimeZone    string `yaml:"time_zone"`
	} `yaml:"flight"`
	Cabin       string         `yaml:"cabin"`
	EventTime   time.Time      `yaml:"event_time"`
	Physical    int            `yaml:"physical"`
	Authorized  int            `yaml:"authorized"`
	SoldTotal   int            `yaml:"sold_total"`
	SoldByClass map[string]int `yaml:"sold_by_class"`
	Forecast    []struct {
		Class  string  `yaml:"class"`
		Mean   float64 `yaml:"mean"`
		StdDev float64 `yaml:"sd"`
	} `yaml:"forecast"`
	Quotes []struct {
		Carrier    string    `yaml:"carrier"`
		Fare       string    `yaml:"fare"`
		Currency   string    `yaml:"currency"`
		ObservedAt time.Time `yaml:"observed_at"`
	} `yaml:"quotes"`
}

type caseWant struct {
	OfferedClass     string `yaml:"offered_class"`
	OfferedPrice     string `yaml:"offered_price"`
	LoadFactor       string `yaml:"load_factor"`
	LowestCompetitor string `yaml:"lowest_competitor"`
	Ladder           []struct {
		Class     string `yaml:"class"`
		Price     string `yaml:"price"`
		Available int    `yaml:"available"`
		Open      bool   `yaml:"open"`
	} `yaml:"ladder"`
	Rules []struct {
		Rule   string `yaml:"rule"`
		Class  string `yaml:"class"`
		Effect string `yaml:"effect"`
		Before string `yaml:"before"`
		After  string `yaml:"after"`
	} `yaml:"rules"`
}

func TestLadders(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "ladders", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no ladder cases found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			c := readLadderCase(t, file)
			if strings.TrimSpace(c.Arithmetic) == "" {
				t.Errorf("%s: arithmetic is empty; write out every step", file)
			}
			p, err := ParsePolicy([]byte(c.Policy))
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			got, err := Decide(p, c.Input.toInput(t))
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			checkDecision(t, got, c.Want)
		})
	}
}

func readLadderCase(t *testing.T, file string) ladderCase {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c ladderCase
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	return c
}

func (ci caseInput) toInput(t *testing.T) Input {
	t.Helper()
	date, err := inventory.ParseDate(ci.Flight.Date)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{
		Flight: inventory.Flight{
			Carrier: ci.Flight.Carrier, Number: ci.Flight.Number,
			Origin: ci.Flight.Origin, Destination: ci.Flight.Destination,
			Date: date, OriginTimeZone: ci.Flight.TimeZone,
		},
		Cabin: ci.Cabin,
		Seats: inventory.Seats{
			PhysicalCapacity:   ci.Physical,
			AuthorizedCapacity: ci.Authorized,
			SoldTotal:          ci.SoldTotal,
			SoldByClass:        ci.SoldByClass,
		},
		EventTime:    ci.EventTime,
		CauseEventID: "cause-1",
	}
	for _, fc := range ci.Forecast {
		in.Seats.Forecast = append(in.Seats.Forecast, inventory.ClassForecast{Class: fc.Class, Mean: fc.Mean, StdDev: fc.StdDev})
	}
	for i, q := range ci.Quotes {
		in.Quotes = append(in.Quotes, inventory.CompetitorFare{
			EventID: "quote-" + string(rune('a'+i)), Route: in.Flight.Market(), Cabin: ci.Cabin,
			Carrier: q.Carrier, Fare: decimal.RequireFromString(q.Fare), Currency: q.Currency, ObservedAt: q.ObservedAt,
		})
	}
	return in
}

func checkDecision(t *testing.T, got Decision, want caseWant) {
	t.Helper()
	if got.OfferedClass != want.OfferedClass {
		t.Errorf("offered class = %q, want %q", got.OfferedClass, want.OfferedClass)
	}
	checkAmount(t, "offered price", got.OfferedPrice, want.OfferedPrice)
	checkAmount(t, "load factor", got.LoadFactor, want.LoadFactor)
	gotCompetitor := ""
	if got.LowestCompetitor != nil {
		gotCompetitor = got.LowestCompetitor.Carrier
	}
	if gotCompetitor != want.LowestCompetitor {
		t.Errorf("lowest competitor = %q, want %q", gotCompetitor, want.LowestCompetitor)
	}

	if len(got.Ladder) != len(want.Ladder) {
		t.Fatalf("ladder has %d classes, want %d", len(got.Ladder), len(want.Ladder))
	}
	for i, w := range want.Ladder {
		g := got.Ladder[i]
		if g.Class != w.Class || g.Available != w.Available || g.Open != w.Open {
			t.Errorf("ladder[%d] = %s available %d open %t, want %s available %d open %t", i, g.Class, g.Available, g.Open, w.Class, w.Available, w.Open)
		}
		checkAmount(t, "price of class "+w.Class, g.Price, w.Price)
	}

	for i := 0; i < max(len(got.Rules), len(want.Rules)); i++ {
		if i >= len(got.Rules) {
			t.Errorf("rules[%d] missing, want %+v", i, want.Rules[i])
			continue
		}
		g := got.Rules[i]
		if i >= len(want.Rules) {
			t.Errorf("rules[%d] = %s %s %q %s -> %s, want none", i, g.RuleID, g.Class, g.Effect, g.Before, g.After)
			continue
		}
		w := want.Rules[i]
		if g.RuleID != w.Rule || g.Class != w.Class || g.Effect != w.Effect ||
			!g.Before.Equal(decimal.RequireFromString(w.Before)) || !g.After.Equal(decimal.RequireFromString(w.After)) {
			t.Errorf("rules[%d] = %s %s %q %s -> %s, want %s %s %q %s -> %s",
				i, g.RuleID, g.Class, g.Effect, g.Before, g.After, w.Rule, w.Class, w.Effect, w.Before, w.After)
		}
	}
}

func checkAmount(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(decimal.RequireFromString(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}
