package inventory

import "sort"

// NewQuoteBoard returns an empty board for one market-day and cabin.
func NewQuoteBoard(route Market, cabin string) *QuoteBoard {
	return &QuoteBoard{Route: route, Cabin: cabin}
}

// Apply keeps the quote when it is the carrier's latest by observation time;
// at an equal time the greater event id wins.
func (q *QuoteBoard) Apply(fare *CompetitorFare) Outcome {
	i := sort.Search(len(q.Quotes), func(i int) bool { return q.Quotes[i].Carrier >= fare.Carrier })
	if i < len(q.Quotes) && q.Quotes[i].Carrier == fare.Carrier {
		old := &q.Quotes[i]
		if old.EventID == fare.EventID {
			return Duplicate
		}
		if fare.ObservedAt.Before(old.ObservedAt) || (fare.ObservedAt.Equal(old.ObservedAt) && fare.EventID < old.EventID) {
			return Stale
		}
		*old = *fare
		return Applied
	}
	q.Quotes = append(q.Quotes, CompetitorFare{})
	copy(q.Quotes[i+1:], q.Quotes[i:])
	q.Quotes[i] = *fare
	return Applied
}
