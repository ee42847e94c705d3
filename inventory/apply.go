package inventory

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// NewCabin returns the empty state of one cabin of a flight-date.
func NewCabin(f Flight, name string) *Cabin {
	return &Cabin{
		Flight:   f,
		Name:     name,
		Holdings: make(map[string]Holding),
		Settled:  make(map[string]int),
		Seen:     make(map[string]struct{}),
	}
}

// ApplyBooking applies a booking or a cancellation as a delta of seats sold.
// A cancellation is rejected whole when its booking is unknown or holds fewer
// seats than it asks for; a rejected event changes nothing and is not
// remembered, so a later event with the same id is judged again.
func (c *Cabin) ApplyBooking(b *Booking) (Outcome, error) {
	c.initMaps()
	if _, ok := c.Seen[b.EventID]; ok {
		return Duplicate, nil
	}

	if err := b.Check(); err != nil {
		return 0, err
	}
	seats := b.Seats
	class := b.Class
	held, holds := c.Holdings[b.BookingID]
	switch b.Action {
	case ActionBook:
		if holds {
			return 0, fmt.Errorf("%w: booking %s holds %d seats in class %s", ErrBookingExists, b.BookingID, held.Seats, held.Class)
		}
		c.Holdings[b.BookingID] = Holding{Class: class, Seats: seats}
	case ActionCancel:
		if !holds {
			return 0, fmt.Errorf("%w: booking %s on %s cabin %s", ErrUnknownBooking, b.BookingID, c.Flight.Key(), c.Name)
		}
		if class != held.Class {
			return 0, fmt.Errorf("%w: booking %s is in class %s, the cancellation names %s", ErrClassMismatch, b.BookingID, held.Class, class)
		}
		if seats > held.Seats {
			return 0, fmt.Errorf("%w: booking %s holds %d seats, the cancellation asks for %d", ErrCancelExceedsHolding, b.BookingID, held.Seats, seats)
		}
		if held.Seats == seats {
			delete(c.Holdings, b.BookingID)
		} else {
			c.Holdings[b.BookingID] = Holding{Class: class, Seats: held.Seats - seats}
		}
		seats = -seats
	}

	c.addDelta(Delta{EventTime: b.EventTime, Class: class, Seats: seats})
	c.Seen[b.EventID] = struct{}{}
	return Applied, nil
}

// initMaps makes the maps of a cabin restored from its changelog record
// writable: a decoder may leave an empty map nil.
func (c *Cabin) initMaps() {
	if c.Holdings == nil {
		c.Holdings = make(map[string]Holding)
	}
	if c.Settled == nil {
		c.Settled = make(map[string]int)
	}
	if c.Seen == nil {
		c.Seen = make(map[string]struct{})
	}
}

// Check rejects a booking event that no cabin could apply, whatever it
// holds: no seats, or an unknown action.
func (b *Booking) Check() error {
	if b.Seats <= 0 {
		return fmt.Errorf("%w %s: %d seats, want 1 or more", ErrInvalidBooking, b.EventID, b.Seats)
	}
	if b.Action != ActionBook && b.Action != ActionCancel {
		return fmt.Errorf("%w %s: unknown action %d", ErrInvalidBooking, b.EventID, b.Action)
	}
	return nil
}

// addDelta files a delta as settled when the current snapshot already counts
// it (its event time is at or before the snapshot's as_of) and as pending
// otherwise.
func (c *Cabin) addDelta(d Delta) {
	if c.Snapshot != nil && !d.EventTime.After(c.Snapshot.AsOf) {
		c.Settled[d.Class] += d.Seats
		return
	}
	c.Pending = append(c.Pending, d)
}

// ApplyLoadFactor replaces the cabin's capacity, seats sold and forecast
// when the snapshot is newer than the last applied one; at an equal as_of
// the greater event id wins. Older snapshots are Stale and change nothing.
func (c *Cabin) ApplyLoadFactor(l *LoadFactor) (Outcome, error) {
	if err := l.Check(); err != nil {
		return 0, err
	}
	if s := c.Snapshot; s != nil {
		if l.EventID == s.EventID {
			return Duplicate, nil
		}
		if l.AsOf.Before(s.AsOf) || (l.AsOf.Equal(s.AsOf) && l.EventID < s.EventID) {
			return Stale, nil
		}
	}

	c.initMaps()
	c.settleUpTo(l.AsOf)

	// The slices are copied because the caller may reuse the event's memory,
	// and a cabin never changes a snapshot in place.
	c.Snapshot = &Snapshot{
		EventID:            l.EventID,
		AsOf:               l.AsOf,
		PhysicalCapacity:   l.PhysicalCapacity,
		AuthorizedCapacity: l.AuthorizedCapacity,
		SeatsSold:          l.SeatsSold,
		SoldByClass:        slices.Clone(l.SoldByClass),
		Forecast:           slices.Clone(l.Forecast),
	}
	return Applied, nil
}

// settleUpTo moves the pending deltas at or before asOf into Settled, since
// a snapshot as of that time already counts them.
func (c *Cabin) settleUpTo(asOf time.Time) {
	kept := c.Pending[:0]
	for _, d := range c.Pending {
		if d.EventTime.After(asOf) {
			kept = append(kept, d)
			continue
		}
		c.Settled[d.Class] += d.Seats
	}
	clear(c.Pending[len(kept):])
	c.Pending = kept
}

// Check rejects a snapshot whose numbers cannot be merged or priced.
func (l *LoadFactor) Check() error {
	if l.PhysicalCapacity <= 0 {
		return fmt.Errorf("%w %s: physical capacity %d, want above 0", ErrInvalidSnapshot, l.EventID, l.PhysicalCapacity)
	}
	if l.AuthorizedCapacity < 0 || l.SeatsSold < 0 {
		return fmt.Errorf("%w %s: authorized %d and sold %d must not be negative", ErrInvalidSnapshot, l.EventID, l.AuthorizedCapacity, l.SeatsSold)
	}
	if err := l.checkSoldByClass(); err != nil {
		return err
	}
	return l.checkForecast()
}

// checkSoldByClass checks that the per-class counts, when given, name each
// class once and add up to the total.
func (l *LoadFactor) checkSoldByClass() error {
	if l.SoldByClass == nil {
		return nil
	}
	sum := 0
	seen := make(map[string]bool, len(l.SoldByClass))
	for _, cs := range l.SoldByClass {
		switch {
		case cs.Class == "":
			return fmt.Errorf("%w %s: sold by class names an empty class", ErrInvalidSnapshot, l.EventID)
		case seen[cs.Class]:
			return fmt.Errorf("%w %s: class %s appears twice in sold by class", ErrInvalidSnapshot, l.EventID, cs.Class)
		case cs.Seats < 0:
			return fmt.Errorf("%w %s: class %s sold %d, want 0 or more", ErrInvalidSnapshot, l.EventID, cs.Class, cs.Seats)
		}
		seen[cs.Class] = true
		sum += cs.Seats
	}
	if sum != l.SeatsSold {
		return fmt.Errorf("%w %s: sold by class adds up to %d, the total is %d", ErrInvalidSnapshot, l.EventID, sum, l.SeatsSold)
	}
	return nil
}

// checkForecast checks that each forecast class appears once, with a finite
// mean and standard deviation of 0 or more, since EMSR-b cannot use others.
func (l *LoadFactor) checkForecast() error {
	seen := make(map[string]bool, len(l.Forecast))
	for _, f := range l.Forecast {
		switch {
		case f.Class == "":
			return fmt.Errorf("%w %s: forecast names an empty class", ErrInvalidSnapshot, l.EventID)
		case seen[f.Class]:
			return fmt.Errorf("%w %s: class %s appears twice in the forecast", ErrInvalidSnapshot, l.EventID, f.Class)
		case !(f.Mean >= 0) || math.IsInf(f.Mean, 0) || !(f.StdDev >= 0) || math.IsInf(f.StdDev, 0):
			return fmt.Errorf("%w %s: class %s forecast mean %v, standard deviation %v, want finite and 0 or more",
				ErrInvalidSnapshot, l.EventID, f.Class, f.Mean, f.StdDev)
		}
		seen[f.Class] = true
	}
	return nil
}

// Seats merges the snapshot with the deltas into seats sold per class. It
// returns false while the cabin has no snapshot. order lists the cabin's
// classes from the highest base fare down; a total-only snapshot attributes
// what the deltas do not explain to the lowest class, and takes a negative
// remainder from the lowest classes upward. SoldTotal is the snapshot's total
// plus the pending deltas, never below 0, and the per-class counts are never
// negative and add up to it. The returned Forecast is the snapshot's own
// slice, which callers must not change.
func (c *Cabin) Seats(order []string) (Seats, bool) {
	s := c.Snapshot
	if s == nil {
		return Seats{}, false
	}

	byClass := c.snapshotByClass(order)
	total := s.SeatsSold
	for _, d := range c.Pending {
		byClass[d.Class] += d.Seats
		total += d.Seats
	}

	// A class drops below 0 when a cancellation after as_of releases seats
	// that the snapshot counted in another class. Its deficit is taken from
	// the lowest classes upward, as for a negative remainder, so the classes
	// still add up to the total.
	deficit := 0
	for class, n := range byClass {
		if n < 0 {
			deficit -= n
			byClass[class] = 0
		}
	}
	if deficit > 0 {
		takeLowestFirst(byClass, lowestFirst(order, byClass), deficit)
	}

	return Seats{
		PhysicalCapacity:   s.PhysicalCapacity,
		AuthorizedCapacity: s.AuthorizedCapacity,
		SoldTotal:          max(total, 0),
		SoldByClass:        byClass,
		Forecast:           s.Forecast,
		ForecastID:         s.EventID,
	}, true
}

// snapshotByClass returns the snapshot's seats per class: as given, or
// attributed from the settled deltas when the snapshot has only a total.
func (c *Cabin) snapshotByClass(order []string) map[string]int {
	s := c.Snapshot
	byClass := make(map[string]int, len(order)+len(c.Settled))
	if s.SoldByClass != nil {
		for _, cs := range s.SoldByClass {
			byClass[cs.Class] = cs.Seats
		}
		return byClass
	}

	explained := 0
	for class, n := range c.Settled {
		if n > 0 {
			byClass[class] = n
			explained += n
		}
	}
	remainder := s.SeatsSold - explained
	classes := lowestFirst(order, c.Settled)
	// NOTE: with an empty order and no settled delta there is no class to
	// attribute a positive remainder to, so SoldByClass adds up to less than
	// SoldTotal.
	if remainder > 0 && len(classes) > 0 {
		byClass[classes[0]] += remainder
	}
	if remainder < 0 {
		takeLowestFirst(byClass, classes, -remainder)
	}
	return byClass
}

// takeLowestFirst removes seats from byClass, from the first of classes on,
// never taking a class below 0.
func takeLowestFirst(byClass map[string]int, classes []string, seats int) {
	for _, class := range classes {
		if seats <= 0 {
			return
		}
		take := min(byClass[class], seats)
		if take > 0 {
			byClass[class] -= take
			seats -= take
		}
	}
}

// lowestFirst lists the classes from the lowest base fare up: order reversed,
// then the other classes in counts, in reverse name order. Those rank above
// every class in order, so they give up seats last.
func lowestFirst(order []string, counts map[string]int) []string {
	classes := make([]string, 0, len(order)+len(counts))
	known := make(map[string]bool, len(order))
	for i := len(order) - 1; i >= 0; i-- {
		classes = append(classes, order[i])
		known[order[i]] = true
	}
	var extra []string
	for class := range counts {
		if !known[class] {
			extra = append(extra, class)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(extra)))
	return append(classes, extra...)
}
