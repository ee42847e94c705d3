package inventory_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/fareflow/fareflow/inventory"
)

func quote(eventID, carrier, fare string, observedAt int) *inventory.CompetitorFare {
	return &inventory.CompetitorFare{
		EventID:    eventID,
		Cabin:      "Y",
		Carrier:    carrier,
		Fare:       decimal.RequireFromString(fare),
		Currency:   "USD",
		ObservedAt: hour(observedAt),
		Source:     "shop",
	}
}

func TestQuoteBoardApply(t *testing.T) {
	tests := []struct {
		name        string
		first       *inventory.CompetitorFare
		second      *inventory.CompetitorFare
		wantOutcome inventory.Outcome
		wantEventID string
		wantFare    string
	}{
		{"later replaces", quote("q1", "BA", "500.00", 10), quote("q2", "BA", "450.00", 11), inventory.Applied, "q2", "450"},
		{"later with smaller id replaces", quote("q2", "BA", "500.00", 10), quote("q1", "BA", "450.00", 11), inventory.Applied, "q1", "450"},
		{"earlier is stale", quote("q1", "BA", "500.00", 10), quote("q2", "BA", "450.00", 9), inventory.Stale, "q1", "500"},
		{"equal time greater id wins", quote("q1", "BA", "500.00", 10), quote("q2", "BA", "450.00", 10), inventory.Applied, "q2", "450"},
		{"equal time smaller id is stale", quote("q2", "BA", "500.00", 10), quote("q1", "BA", "450.00", 10), inventory.Stale, "q2", "500"},
		{"same id is duplicate", quote("q1", "BA", "500.00", 10), quote("q1", "BA", "500.00", 10), inventory.Duplicate, "q1", "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			board := inventory.NewQuoteBoard(testFlight(t).Market(), "Y")
			if got := board.Apply(tt.first); got != inventory.Applied {
				t.Fatalf("first Apply: got %v, want applied", got)
			}

			if got := board.Apply(tt.second); got != tt.wantOutcome {
				t.Errorf("second Apply: got %v, want %v", got, tt.wantOutcome)
			}
			if n := len(board.Quotes); n != 1 {
				t.Fatalf("Quotes: got %d, want 1 for one carrier", n)
			}
			kept := board.Quotes[0]
			if kept.EventID != tt.wantEventID {
				t.Errorf("kept quote: got %s, want %s", kept.EventID, tt.wantEventID)
			}
			if want := decimal.RequireFromString(tt.wantFare); !kept.Fare.Equal(want) {
				t.Errorf("kept fare: got %s, want %s", kept.Fare, want)
			}
		})
	}
}

func TestQuoteBoardCarriersSorted(t *testing.T) {
	board := inventory.NewQuoteBoard(testFlight(t).Market(), "Y")
	for _, q := range []*inventory.CompetitorFare{
		quote("q1", "VS", "510.00", 10),
		quote("q2", "BA", "500.00", 10),
		quote("q3", "UA", "490.00", 10),
		quote("q4", "AF", "520.00", 10),
		quote("q5", "BA", "480.00", 12),
		quote("q6", "DL", "470.00", 11),
	} {
		if got := board.Apply(q); got != inventory.Applied {
			t.Fatalf("Apply(%s %s): got %v, want applied", q.EventID, q.Carrier, got)
		}
	}

	var carriers, ids []string
	for _, q := range board.Quotes {
		carriers = append(carriers, q.Carrier)
		ids = append(ids, q.EventID)
	}
	if want := []string{"AF", "BA", "DL", "UA", "VS"}; !slices.Equal(carriers, want) {
		t.Errorf("carriers: got %v, want %v", carriers, want)
	}
	if want := []string{"q4", "q5", "q6", "q3", "q1"}; !slices.Equal(ids, want) {
		t.Errorf("event ids: got %v, want %v", ids, want)
	}
}

// TestQuoteBoardAnyOrder checks that the board ends the same whatever order
// the quotes arrive in, a repeated quote included.
func TestQuoteBoardAnyOrder(t *testing.T) {
	quotes := []*inventory.CompetitorFare{
		quote("q1", "BA", "500.00", 10),
		quote("q2", "BA", "450.00", 12),
		quote("q3", "BA", "470.00", 12),
		quote("q4", "UA", "490.00", 11),
		quote("q5", "UA", "495.00", 9),
		quote("q3", "BA", "470.00", 12),
	}
	want := []string{"q3", "q4"}

	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		rng.Shuffle(len(quotes), func(i, j int) { quotes[i], quotes[j] = quotes[j], quotes[i] })
		board := inventory.NewQuoteBoard(testFlight(t).Market(), "Y")
		var applied []string
		for _, q := range quotes {
			board.Apply(q)
			applied = append(applied, q.EventID)
		}

		var got []string
		for _, q := range board.Quotes {
			got = append(got, q.EventID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("quotes applied in order %v: got %v, want %v", applied, got, want)
		}
	}
}
