package pricing

import (
	"math"

	"github.com/fareflow/fareflow/inventory"
)

// maxZ bounds the standard normal quantile used for a protection level. A
// lower fare of zero asks for the quantile of probability 1, which is
// infinite, so 6 standard deviations (a tail probability near 1e-9) is used
// instead to mean "protect all plausible demand" and keep the result finite.
const maxZ = 6.0

// EMSRb returns the protection levels y_1..y_{n-1} of n classes by EMSR-b:
// y_j is the seats to protect for classes 1..j together, unrounded. fares
// are ordered from class 1 (the highest) down, and forecasts[i] is the
// remaining demand of the class of fares[i].
//
// For y_j, classes 1..j are pooled into one class whose mean and variance
// are the sums of theirs and whose fare is their demand-weighted mean fare.
// y_j then solves P(pooled demand > y_j) = fare_{j+1} / pooled fare under a
// normal distribution (Littlewood's rule).
//
// Degenerate inputs give finite results, never NaN and never negative:
//   - a missing forecast, or a negative, infinite or NaN mean, standard
//     deviation or fare, counts as 0;
//   - pooled mean 0 or a pooled fare of 0 or less: protect nothing;
//   - a fare ratio of 1 or more (the lower class earns as much): protect
//     nothing;
//   - pooled standard deviation 0 and ratio below 1: protect the pooled
//     mean, because the demand is certain;
//   - a lower fare of 0 or less (ratio 0 or less): protect the pooled mean
//     plus 6 standard deviations;
//   - a level below 0 (a ratio above one half with a small mean) is 0.
func EMSRb(fares []float64, forecasts []inventory.ClassForecast) []float64 {
	if len(fares) < 2 {
		return nil
	}
	return emsrbInto(make([]float64, len(fares)-1), fares, forecasts)
}

// emsrbInto is EMSRb writing into levels: len(fares)-1 zeros, for at
// least 2 fares.
func emsrbInto(levels, fares []float64, forecasts []inventory.ClassForecast) []float64 {
	var mean, variance, revenue float64
	for j := range levels {
		m, sd := demand(forecasts, j)
		mean += m
		variance += sd * sd
		revenue += fare(fares, j) * m
		if mean <= 0 || revenue <= 0 {
			continue
		}
		levels[j] = littlewood(mean, math.Sqrt(variance), fare(fares, j+1)/(revenue/mean))
	}
	return levels
}

// EMSRa returns the protection levels y_1..y_{n-1} of n classes by EMSR-a:
// y_j is the sum over classes k = 1..j of the seats class k alone would
// protect against class j+1 by Littlewood's rule,
// P(demand_k > y) = fare_{j+1} / fare_k. Arguments and degenerate cases are
// as for EMSRb, applied to each class k alone; a class with fare 0 or less
// protects nothing.
func EMSRa(fares []float64, forecasts []inventory.ClassForecast) []float64 {
	if len(fares) < 2 {
		return nil
	}
	return emsraInto(make([]float64, len(fares)-1), fares, forecasts)
}

// emsraInto is EMSRa adding into levels: len(fares)-1 zeros, for at least
// 2 fares.
func emsraInto(levels, fares []float64, forecasts []inventory.ClassForecast) []float64 {
	for j := range levels {
		lower := fare(fares, j+1)
		for k := 0; k <= j; k++ {
			m, sd := demand(forecasts, k)
			upper := fare(fares, k)
			if m <= 0 || upper <= 0 {
				continue
			}
			levels[j] += littlewood(m, sd, lower/upper)
		}
	}
	return levels
}

// littlewood returns the y with P(D > y) = ratio for D normal with the given
// mean and standard deviation, clamped to [0, ∞) and finite.
func littlewood(mean, sd, ratio float64) float64 {
	if ratio >= 1 || math.IsNaN(ratio) {
		return 0
	}
	z := maxZ
	if ratio > 0 {
		z = math.Min(normalQuantile(1-ratio), maxZ)
	}
	return math.Max(0, mean+sd*z)
}

// normalQuantile returns the inverse of the standard normal CDF at p in
// (0, 1), through the identity Φ⁻¹(p) = −√2 · erfc⁻¹(2p).
func normalQuantile(p float64) float64 {
	return -math.Sqrt2 * math.Erfcinv(2*p)
}

// demand returns the mean and standard deviation of forecasts[i], with a
// missing, negative, infinite or NaN value read as 0.
func demand(forecasts []inventory.ClassForecast, i int) (mean, sd float64) {
	if i >= len(forecasts) {
		return 0, 0
	}
	return nonNegative(forecasts[i].Mean), nonNegative(forecasts[i].StdDev)
}

func fare(fares []float64, i int) float64 {
	return nonNegative(fares[i])
}

func nonNegative(x float64) float64 {
	if x > 0 && !math.IsInf(x, 1) {
		return x
	}
	return 0
}
