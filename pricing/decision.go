// Package pricing turns a cabin's inventory, the pricing policy and the
// market's competitor quotes into a decision: the fare ladder, the offered
// class and the rules that fired. Everything here is a pure function of its
// inputs; it imports no Kafka client and no codec.
package pricing

import (
	"time"

	"github.com/fareflow/fareflow/inventory"
	"github.com/shopspring/decimal"
)

// Input is everything one decision depends on.
type Input struct {
	Flight inventory.Flight
	Cabin  string
	Seats  inventory.Seats
	// Quotes are the latest competitor quotes of the flight's market-day and
	// cabin, one per carrier; Decide picks the valid ones.
	Quotes []inventory.CompetitorFare
	// EventTime is the causing event's time (for a policy change, the
	// policy's effective time). Days to departure and quote ages count from
	// it, never from the wall clock.
	EventTime    time.Time
	CauseEventID string
}

// Decision is one pricing of one cabin of one flight, caused by one event.
type Decision struct {
	Flight inventory.Flight
	Cabin  string
	// Sequence numbers the published updates of this flight and cabin from
	// 1, without gaps; Decide leaves it zero and the state sets it.
	Sequence     int64
	OfferedClass string          // lowest open class; "" when every class is closed
	OfferedPrice decimal.Decimal // price of the offered class; zero when none is open
	Currency     string          // ISO 4217 code of every amount in the decision
	Ladder       []ClassPrice    // classes from the highest base fare down
	// LoadFactor is seats sold over physical capacity, in percent, rounded
	// to two decimal places.
	LoadFactor       decimal.Decimal
	LowestCompetitor *inventory.CompetitorFare // nil when no valid quote
	Rules            []AppliedRule             // in the order they applied
	CauseEventID     string
	PolicyVersion    string
	EventTime        time.Time
}

// ClassPrice is one rung of the fare ladder.
type ClassPrice struct {
	Class     string
	BaseFare  decimal.Decimal
	Price     decimal.Decimal
	Available int
	Open      bool
}

// AppliedRule is one step that changed or bounded a price, with the amount
// before and after it.
type AppliedRule struct {
	RuleID string
	Class  string
	Effect string // the step taken, for example "percent +10" or "floor"
	Before decimal.Decimal
	After  decimal.Decimal
}
