package pricing

import (
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

// The two worked examples of nesting with static protection.
func TestNestingWorkedExamples(t *testing.T) {
	tests := []struct {
		name      string
		static    []int
		classes   []string
		sold      map[string]int
		wantLevel []int
		wantAvail []int
	}{
		{
			name:    "two classes",
			static:  []int{30},
			classes: []string{"Y", "B"},
			sold:    map[string]int{"Y": 10, "B": 50},
			// R = 100 - 60 = 40, y_1 = 30 - 10 = 20.
			wantLevel: []int{20},
			wantAvail: []int{40, 20},
		},
		{
			name:    "third class after P_2 is used up",
			static:  []int{30, 40},
			classes: []string{"Y", "B", "M"},
			sold:    map[string]int{"Y": 10, "B": 50, "M": 0},
			// y_2 = max(0, 40 - 60) = 0, so a_3 = min(20, 40) = 20.
			wantLevel: []int{20, 0},
			wantAvail: []int{40, 20, 20},
		},
	}
	for _, tt := range tests {
		seats := inventory.Seats{AuthorizedCapacity: 100, SoldTotal: 60, SoldByClass: tt.sold}
		levels := StaticProtection(tt.static, tt.classes, tt.sold)
		if !equalInts(levels, tt.wantLevel) {
			t.Errorf("%s: protection = %v, want %v", tt.name, levels, tt.wantLevel)
		}
		if got := Availability(SeatsLeft(seats), levels); !equalInts(got, tt.wantAvail) {
			t.Errorf("%s: availability = %v, want %v", tt.name, got, tt.wantAvail)
		}
	}
}

// Authorized 185 (180 plus 5 overbooking) with 186 sold shows 0 available,
// never -1.
func TestNestingOverSale(t *testing.T) {
	seats := inventory.Seats{PhysicalCapacity: 180, AuthorizedCapacity: 185, SoldTotal: 186}
	if got := SeatsLeft(seats); got != 0 {
		t.Errorf("SeatsLeft = %d, want 0", got)
	}
	if got := Availability(SeatsLeft(seats), []int{4, 0}); !equalInts(got, []int{0, 0, 0}) {
		t.Errorf("availability = %v, want [0 0 0]", got)
	}
}

func TestWholeSeatsRoundsDown(t *testing.T) {
	got := WholeSeats([]float64{16.999, 0.2, -3, 1e300, 42})
	want := []int{16, 0, 0, 2147483647, 42}
	if !equalInts(got, want) {
		t.Errorf("WholeSeats = %v, want %v", got, want)
	}
}

func TestStaticProtectionIgnoresNegativeSales(t *testing.T) {
	got := StaticProtection([]int{10}, []string{"Y", "B"}, map[string]int{"Y": -4})
	if !equalInts(got, []int{10}) {
		t.Errorf("StaticProtection = %v, want [10]", got)
	}
}
