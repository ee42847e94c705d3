// Package inventory models flights, cabins and booking classes, and how
// booking, load-factor and competitor-fare events change them. It uses
// no Kafka client, codec or pricing.
package inventory

import (
	"time"

	"github.com/shopspring/decimal"
)

// Kind names the type of an input event.
type Kind uint8

const (
	KindBooking Kind = iota + 1
	KindLoadFactor
	KindCompetitorFare
)

// String returns the kind's name as used in topics, JSON lines and metrics.
func (k Kind) String() string {
	switch k {
	case KindBooking:
		return "booking"
	case KindLoadFactor:
		return "load_factor"
	case KindCompetitorFare:
		return "competitor_fare"
	}
	return "unknown"
}

// Event is one input event. Every event has a globally unique id, which the
// decisions it causes name as their cause, and is keyed by its market.
type Event interface {
	Kind() Kind
	ID() string
	Market() Market
	// Time is the event's business time: the booking's event time, the
	// snapshot's as_of, or the quote's observation time.
	Time() time.Time
}

// BookingAction marks an event as a booking or a cancellation.
type BookingAction uint8

const (
	ActionBook BookingAction = iota + 1
	ActionCancel
)

// String returns "book" or "cancel".
func (a BookingAction) String() string {
	switch a {
	case ActionBook:
		return "book"
	case ActionCancel:
		return "cancel"
	}
	return "unknown"
}

// Booking is a booking or a cancellation of seats in one booking class. A
// cancellation names the booking it releases seats of by BookingID.
type Booking struct {
	EventID   string
	BookingID string
	Action    BookingAction
	Flight    Flight
	Cabin     string
	Class     string // booking class (RBD), one letter such as "Y"
	Seats     int
	Channel   string
	Fare      decimal.Decimal // fare paid for all seats of the event
	Currency  string          // ISO 4217 code
	PromoCode *string         // nil when the booking used no promotion
	EventTime time.Time
}

// ClassSeats is a seat count of one booking class.
type ClassSeats struct {
	Class string
	Seats int
}

// ClassForecast is the remaining-demand forecast of one booking class, in
// seats: the mean and standard deviation of a normal distribution.
type ClassForecast struct {
	Class  string
	Mean   float64
	StdDev float64
}

// LoadFactor is the reservation system's snapshot of one cabin of one flight
// at AsOf.
type LoadFactor struct {
	EventID            string
	Flight             Flight
	Cabin              string
	AsOf               time.Time
	PhysicalCapacity   int
	AuthorizedCapacity int // physical capacity plus the overbooking allowance
	SeatsSold          int
	SoldByClass        []ClassSeats    // nil when the snapshot gives only a total
	Forecast           []ClassForecast // nil when the snapshot carries no forecast
}

// CompetitorFare is a competitor's fare observed for a market-day and cabin.
type CompetitorFare struct {
	EventID    string
	Route      Market
	Cabin      string
	Carrier    string // the competitor's IATA airline code
	Fare       decimal.Decimal
	Currency   string // ISO 4217 code
	ObservedAt time.Time
	Source     string
}

func (b *Booking) Kind() Kind      { return KindBooking }
func (b *Booking) ID() string      { return b.EventID }
func (b *Booking) Market() Market  { return b.Flight.Market() }
func (b *Booking) Time() time.Time { return b.EventTime }

func (l *LoadFactor) Kind() Kind      { return KindLoadFactor }
func (l *LoadFactor) ID() string      { return l.EventID }
func (l *LoadFactor) Market() Market  { return l.Flight.Market() }
func (l *LoadFactor) Time() time.Time { return l.AsOf }

func (c *CompetitorFare) Kind() Kind      { return KindCompetitorFare }
func (c *CompetitorFare) ID() string      { return c.EventID }
func (c *CompetitorFare) Market() Market  { return c.Route }
func (c *CompetitorFare) Time() time.Time { return c.ObservedAt }
