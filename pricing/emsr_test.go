package pricing

import (
	"math"
	"testing"

	"github.com/fareflow/fareflow/inventory"
)

// Published reference cases: Talluri and van Ryzin (2004), four classes,
// and the revmng package's three-class validation case.
var (
	fourClassFares    = []float64{1050, 567, 534, 520}
	fourClassForecast = []inventory.ClassForecast{
		{Class: "A", Mean: 17.3, StdDev: 5.8},
		{Class: "B", Mean: 45.1, StdDev: 15.0},
		{Class: "C", Mean: 39.6, StdDev: 13.2},
		{Class: "D", Mean: 34.0, StdDev: 11.3},
	}
	threeClassFares    = []float64{1000, 700, 400}
	threeClassForecast = []inventory.ClassForecast{
		{Class: "A", Mean: 30, StdDev: 12},
		{Class: "B", Mean: 40, StdDev: 15},
		{Class: "C", Mean: 60, StdDev: 20},
	}
)

const emsrTolerance = 0.05

func TestEMSRPublishedLevels(t *testing.T) {
	tests := []struct {
		name string
		got  []float64
		want []float64
	}{
		{"EMSR-b four classes", EMSRb(fourClassFares, fourClassForecast), []float64{16.72, 50.94, 83.15}},
		{"EMSR-a four classes", EMSRa(fourClassFares, fourClassForecast), []float64{16.72, 38.72, 55.68}},
		{"EMSR-b three classes", EMSRb(threeClassFares, threeClassForecast), []float64{23.71, 70.83}},
	}
	for _, tt := range tests {
		if len(tt.got) != len(tt.want) {
			t.Errorf("%s: got %d levels %v, want %d", tt.name, len(tt.got), tt.got, len(tt.want))
			continue
		}
		for j := range tt.want {
			if math.Abs(tt.got[j]-tt.want[j]) > emsrTolerance {
				t.Errorf("%s: y_%d = %.4f, want %.2f ± %.2f", tt.name, j+1, tt.got[j], tt.want[j], emsrTolerance)
			}
		}
	}
}

func TestEMSRPublishedBookingLimits(t *testing.T) {
	tests := []struct {
		name     string
		levels   []float64
		capacity int
		want     []int
	}{
		{"four classes", EMSRb(fourClassFares, fourClassForecast), 100, []int{100, 84, 50, 17}},
		{"three classes", EMSRb(threeClassFares, threeClassForecast), 120, []int{120, 97, 50}},
	}
	for _, tt := range tests {
		got := Availability(tt.capacity, WholeSeats(tt.levels))
		if !equalInts(got, tt.want) {
			t.Errorf("%s: booking limits = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Degenerate forecasts give finite, non-negative levels as documented.
func TestEMSRDegenerateForecasts(t *testing.T) {
	tests := []struct {
		name      string
		fares     []float64
		forecasts []inventory.ClassForecast
		want      []float64
	}{
		{"zero mean protects nothing", []float64{500, 300}, []inventory.ClassForecast{{Mean: 0, StdDev: 5}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"zero variance protects the mean", []float64{500, 300}, []inventory.ClassForecast{{Mean: 12, StdDev: 0}, {Mean: 10, StdDev: 2}}, []float64{12}},
		{"equal fares protect nothing", []float64{500, 500}, []inventory.ClassForecast{{Mean: 12, StdDev: 3}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"lower fare above upper protects nothing", []float64{300, 500}, []inventory.ClassForecast{{Mean: 12, StdDev: 3}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"zero lower fare protects mean plus 6 sd", []float64{500, 0}, []inventory.ClassForecast{{Mean: 12, StdDev: 3}, {Mean: 10, StdDev: 2}}, []float64{30}},
		{"zero upper fare protects nothing", []float64{0, 0}, []inventory.ClassForecast{{Mean: 12, StdDev: 3}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"missing forecasts count as zero", []float64{500, 300, 200}, nil, []float64{0, 0}},
		{"negative and NaN inputs count as zero", []float64{500, 300}, []inventory.ClassForecast{{Mean: math.NaN(), StdDev: -1}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"small mean with high ratio is not negative", []float64{500, 450}, []inventory.ClassForecast{{Mean: 1, StdDev: 10}, {Mean: 10, StdDev: 2}}, []float64{0}},
		{"one class has no levels", []float64{500}, nil, []float64{}},
	}
	for _, tt := range tests {
		for _, method := range []struct {
			name string
			emsr func([]float64, []inventory.ClassForecast) []float64
		}{{"EMSRb", EMSRb}, {"EMSRa", EMSRa}} {
			got := method.emsr(tt.fares, tt.forecasts)
			if len(got) != len(tt.want) {
				t.Errorf("%s %s: got %v, want %v", method.name, tt.name, got, tt.want)
				continue
			}
			for j := range got {
				if math.IsNaN(got[j]) || math.IsInf(got[j], 0) || got[j] < 0 || math.Abs(got[j]-tt.want[j]) > 1e-9 {
					t.Errorf("%s %s: y_%d = %v, want %v", method.name, tt.name, j+1, got[j], tt.want[j])
				}
			}
		}
	}
}

func TestNormalQuantile(t *testing.T) {
	tests := []struct{ p, want float64 }{
		{0.5, 0},
		{0.975, 1.959963984540054},
		{0.3, -0.5244005127080407},
		{0.001, -3.090232306167813},
	}
	for _, tt := range tests {
		if got := normalQuantile(tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("normalQuantile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
