package pricing

import (
	"math"

	"github.com/fareflow/fareflow/inventory"
)

// SeatsLeft returns R = max(0, authorized capacity − seats sold in all
// classes of the cabin). An over-sale (sold above authorized) leaves 0, never
// a negative count.
func SeatsLeft(s inventory.Seats) int {
	return max(0, s.AuthorizedCapacity-s.SoldTotal)
}

// StaticProtection returns y_j = max(0, P_j − seats sold in classes 1..j)
// for j = 1..len(static), so sales in the upper classes use up their
// protection. static[j-1] is P_j, the seats the policy protects for classes
// 1..j together; classes are ordered from class 1 down and must have at
// least len(static) entries. A negative count in soldByClass counts as 0.
func StaticProtection(static []int, classes []string, soldByClass map[string]int) []int {
	return staticProtectionInto(make([]int, len(static)), static, classes, soldByClass)
}

// staticProtectionInto is StaticProtection writing into levels, which has
// len(static) entries, so Decide can keep them on the stack.
func staticProtectionInto(levels, static []int, classes []string, soldByClass map[string]int) []int {
	soldAbove := 0
	for j, protect := range static {
		soldAbove += max(0, soldByClass[classes[j]])
		levels[j] = max(0, protect-soldAbove)
	}
	return levels
}

// WholeSeats rounds protection levels from EMSR down to whole seats, as the
// booking limits use them. A level too large for an int counts as
// math.MaxInt32 seats, more than any cabin has.
func WholeSeats(levels []float64) []int {
	return wholeSeatsInto(make([]int, len(levels)), levels)
}

// wholeSeatsInto is WholeSeats writing into seats, which has len(levels)
// entries.
func wholeSeatsInto(seats []int, levels []float64) []int {
	for j, y := range levels {
		switch {
		case !(y > 0):
			seats[j] = 0
		case y >= math.MaxInt32:
			seats[j] = math.MaxInt32
		default:
			seats[j] = int(math.Floor(y))
		}
	}
	return seats
}

// Availability returns the seats available in each of n = len(protection)+1
// classes: a_1 = R and a_{j+1} = min(a_j, max(0, R − y_j)), where
// protection[j-1] is y_j in whole seats. A lower class is therefore never
// more available than a higher one, and no class has more than R.
func Availability(seatsLeft int, protection []int) []int {
	return availabilityInto(make([]int, len(protection)+1), seatsLeft, protection)
}

// availabilityInto is Availability writing into avail, which has
// len(protection)+1 entries.
func availabilityInto(avail []int, seatsLeft int, protection []int) []int {
	seatsLeft = max(0, seatsLeft)
	avail[0] = seatsLeft
	for j, y := range protection {
		avail[j+1] = min(avail[j], max(0, seatsLeft-y))
	}
	return avail
}
