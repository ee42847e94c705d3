package pricing

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

func TestExamplePolicyParses(t *testing.T) {
	p, err := LoadPolicyFile(filepath.Join("..", "examples", "policy.yaml"))
	if err != nil {
		t.Fatalf("LoadPolicyFile(examples/policy.yaml): %v", err)
	}
	if got, want := p.Version(), "2026-10-01.1"; got != want {
		t.Errorf("Version() = %q, want %q", got, want)
	}
}

// Every cabin of the example policy prices without error, within its
// guardrails, in the expected currency.
func TestExamplePolicyPricesEveryCabin(t *testing.T) {
	p, err := LoadPolicyFile(filepath.Join("..", "examples", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		route, zone, currency string
		cabins                string
	}{
		{"JFK-LHR", "America/New_York", "USD", "J Y"},
		{"JFK-CDG", "America/New_York", "USD", "J Y"},
		{"HND-CTS", "Asia/Tokyo", "JPY", "Y"},
		{"KWI-DXB", "Asia/Kuwait", "KWD", "Y"},
	}
	event := time.Date(2027, 4, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		flight := testFlight(t, tt.route, "2027-05-01", tt.zone)
		if got := strings.Join(p.Cabins(flight.Market()), " "); got != tt.cabins {
			t.Errorf("Cabins(%s) = %q, want %q", tt.route, got, tt.cabins)
		}
		for _, cabin := range p.Cabins(flight.Market()) {
			in := Input{
				Flight:    flight,
				Cabin:     cabin,
				Seats:     inventory.Seats{PhysicalCapacity: 100, AuthorizedCapacity: 104, SoldTotal: 85, SoldByClass: map[string]int{}},
				EventTime: event,
			}
			d, err := Decide(p, in)
			if err != nil {
				t.Errorf("Decide(%s %s): %v", tt.route, cabin, err)
				continue
			}
			if d.Currency != tt.currency {
				t.Errorf("%s %s: currency %s, want %s", tt.route, cabin, d.Currency, tt.currency)
			}
			cp := p.cabin(flight.Market(), cabin)
			for _, rung := range d.Ladder {
				if rung.Price.LessThan(cp.floor) || rung.Price.GreaterThan(cp.ceiling) {
					t.Errorf("%s %s class %s: price %s outside %s..%s", tt.route, cabin, rung.Class, rung.Price, cp.floor, cp.ceiling)
				}
			}
		}
	}
}
