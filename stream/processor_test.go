package stream

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/avro"
	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/loadtest"
	"github.com/fareflow/fareflow/pricing"
	"github.com/fareflow/fareflow/state"
	"github.com/shopspring/decimal"
)

// examplePolicy is a valid policy with JFK-LHR and JFK-CDG cabins Y and J,
// priced in USD, with exchange rates for GBP and EUR only.
const examplePolicy = "../examples/policy.yaml"

// departure is the departure date of every test flight. base, 18 days
// earlier, is the time the test events are measured from.
var (
	departure = time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC)
	base      = time.Date(2027, 3, 2, 14, 0, 0, 0, time.UTC)
)

func hour(h int) time.Time { return base.Add(time.Duration(h) * time.Hour) }

// loadPolicy returns the example policy, with its version and effective
// time replaced when version is not empty.
func loadPolicy(t testing.TB, version string, effectiveAt time.Time) *pricing.Policy {
	t.Helper()
	data, err := os.ReadFile(examplePolicy)
	if err != nil {
		t.Fatalf("read example policy: %v", err)
	}
	if version != "" {
		text := string(data)
		for old, replacement := range map[string]string{
			`version: "2026-10-01.1"`:            fmt.Sprintf("version: %q", version),
			"effective_at: 2026-10-01T00:00:00Z": "effective_at: " + effectiveAt.Format(time.RFC3339),
		} {
			if !strings.Contains(text, old) {
				t.Fatalf("example policy has no line %q to replace", old)
			}
			text = strings.Replace(text, old, replacement, 1)
		}
		data = []byte(text)
	}
	p, err := pricing.ParsePolicy(data)
	if err != nil {
		t.Fatalf("ParsePolicy(example policy): %v", err)
	}
	return p
}

// flight returns flight FF<number> from JFK to LHR on the departure date.
func flight(number string) inventory.Flight {
	return inventory.Flight{
		Carrier:        "FF",
		Number:         number,
		Origin:         "JFK",
		Destination:    "LHR",
		Date:           departure,
		OriginTimeZone: "America/New_York",
	}
}

func bookEvent(eventID, bookingID string, f inventory.Flight, class string, seats int, at time.Time) *inventory.Booking {
	return &inventory.Booking{
		EventID:   eventID,
		BookingID: bookingID,
		Action:    inventory.ActionBook,
		Flight:    f,
		Cabin:     "Y",
		Class:     class,
		Seats:     seats,
		Channel:   "web",
		Fare:      decimal.RequireFromString("450.00").Mul(decimal.NewFromInt(int64(seats))),
		Currency:  "USD",
		EventTime: at,
	}
}

func cancelEvent(eventID, bookingID string, f inventory.Flight, class string, seats int, at time.Time) *inventory.Booking {
	b := bookEvent(eventID, bookingID, f, class, seats, at)
	b.Action = inventory.ActionCancel
	b.Fare = decimal.Zero
	return b
}

// snapshotEvent returns a total-only snapshot of the Y cabin: 180 seats,
// authorized as given.
func snapshotEvent(eventID string, f inventory.Flight, asOf time.Time, authorized, sold int) *inventory.LoadFactor {
	return &inventory.LoadFactor{
		EventID:            eventID,
		Flight:             f,
		Cabin:              "Y",
		AsOf:               asOf,
		PhysicalCapacity:   180,
		AuthorizedCapacity: authorized,
		SeatsSold:          sold,
	}
}

func quoteEvent(eventID string, m inventory.Market, carrier, fare, currency string, at time.Time) *inventory.CompetitorFare {
	return &inventory.CompetitorFare{
		EventID:    eventID,
		Route:      m,
		Cabin:      "Y",
		Carrier:    carrier,
		Fare:       decimal.RequireFromString(fare),
		Currency:   currency,
		ObservedAt: at,
		Source:     "test",
	}
}

// apply applies e in the open transaction and fails the test on an error.
func apply(t testing.TB, pr *Processor, p *state.Partition, e inventory.Event) []pricing.Decision {
	t.Helper()
	decisions, err := pr.Apply(p, e)
	if err != nil {
		t.Fatalf("Apply(%s %s): %v", e.Kind(), e.ID(), err)
	}
	return decisions
}

// canonical returns the canonical JSON of the partition's cabins and boards.
func canonical(t testing.TB, p *state.Partition) string {
	t.Helper()
	var buf bytes.Buffer
	if err := state.WriteCanonical(&buf, p.Cabins(), p.Boards()); err != nil {
		t.Fatalf("WriteCanonical: %v", err)
	}
	return buf.String()
}

// sequences lists each cabin's published sequence number and ladder
// fingerprint, which the canonical form leaves out.
func sequences(p *state.Partition) string {
	var b strings.Builder
	for _, c := range p.Cabins() {
		fmt.Fprintf(&b, "%s sequence=%d ladder=%x\n", state.CabinKey(c.Flight, c.Name), c.Sequence, c.LastLadder)
	}
	return b.String()
}

// decisionJSON returns the decisions as the JSON lines that simulate prints
// for them.
func decisionJSON(t testing.TB, decisions []pricing.Decision) []string {
	t.Helper()
	lines := make([]string, 0, len(decisions))
	for i := range decisions {
		b, err := avro.DecisionJSON(&decisions[i])
		if err != nil {
			t.Fatalf("DecisionJSON(decision %d of %s): %v", i, decisions[i].CauseEventID, err)
		}
		lines = append(lines, string(b))
	}
	return lines
}

func sequenceNumbers(decisions []pricing.Decision) []int64 {
	var out []int64
	for _, d := range decisions {
		out = append(out, d.Sequence)
	}
	return out
}

func TestBookingBeforeSnapshotUnpriced(t *testing.T) {
	stats := new(Stats)
	pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
	p := state.NewPartition(0)

	got := apply(t, pr, p, bookEvent("e1", "B1", flight("100"), "M", 2, hour(0)))
	if len(got) != 0 {
		t.Errorf("decisions = %d, want 0 before any snapshot", len(got))
	}
	if got := stats.Unpriced.Load(); got != 1 {
		t.Errorf("Stats.Unpriced = %d, want 1", got)
	}
	if got := stats.Applied.Load(); got != 1 {
		t.Errorf("Stats.Applied = %d, want 1", got)
	}
	if got := stats.Decisions.Load(); got != 0 {
		t.Errorf("Stats.Decisions = %d, want 0", got)
	}
	c := p.Cabin(state.CabinKey(flight("100"), "Y"))
	if c == nil {
		t.Fatal("Cabin(FF100 Y) = nil, want the booked cabin")
	}
	if got, want := c.Holdings["B1"], (inventory.Holding{Class: "M", Seats: 2}); got != want {
		t.Errorf("holding of B1 = %+v, want %+v", got, want)
	}

	// The first snapshot prices the cabin, counting the earlier booking.
	decisions := apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(-1), 185, 40))
	if len(decisions) != 1 {
		t.Fatalf("decisions after the snapshot = %d, want 1", len(decisions))
	}
	if got, want := decisions[0].Ladder[0].Available, 185-42; got != want {
		t.Errorf("class Y available = %d, want %d: authorized 185 less 40 sold and 2 booked after as_of", got, want)
	}
}

func TestSequenceWithoutGaps(t *testing.T) {
	stats := new(Stats)
	pr := NewProcessor(loadPolicy(t, "", time.Time{}), false, stats, nil)
	p := state.NewPartition(0)

	// Each applied event sells or reports seats, so each changes the
	// ladder. The duplicate, stale and rejected ones cause no decision.
	events := []struct {
		event    inventory.Event
		rejected bool
		want     []int64
	}{
		{bookEvent("e1", "B1", flight("100"), "V", 1, hour(0)), false, nil},
		{snapshotEvent("s1", flight("100"), hour(1), 185, 60), false, []int64{1}},
		{bookEvent("e2", "B2", flight("100"), "V", 1, hour(2)), false, []int64{2}},
		{bookEvent("e2", "B2", flight("100"), "V", 1, hour(2)), false, nil},
		{snapshotEvent("s0", flight("100"), hour(0), 185, 50), false, nil},
		{bookEvent("e3", "B3", flight("100"), "V", 2, hour(3)), false, []int64{3}},
		{cancelEvent("e4", "B3", flight("100"), "V", 5, hour(3)), true, nil},
		{snapshotEvent("s1", flight("200"), hour(1), 185, 10), false, []int64{1}},
		{cancelEvent("e5", "B3", flight("100"), "V", 1, hour(4)), false, []int64{4}},
		{bookEvent("e6", "B6", flight("200"), "V", 1, hour(4)), false, []int64{2}},
		{snapshotEvent("s2", flight("100"), hour(5), 185, 70), false, []int64{5}},
	}
	var published []pricing.Decision
	for _, ev := range events {
		decisions, err := pr.Apply(p, ev.event)
		if gotRejected := err != nil; gotRejected != ev.rejected {
			t.Fatalf("%s %s: error %v, want rejected %t", ev.event.Kind(), ev.event.ID(), err, ev.rejected)
		}
		if got := sequenceNumbers(decisions); !slices.Equal(got, ev.want) {
			t.Errorf("%s %s: sequences = %v, want %v", ev.event.Kind(), ev.event.ID(), got, ev.want)
		}
		published = append(published, decisions...)
		p.Commit()
	}

	// Per flight, the published sequence numbers run 1, 2, 3, ...
	next := map[string]int64{}
	for _, d := range published {
		key := state.CabinKey(d.Flight, d.Cabin)
		next[key]++
		if d.Sequence != next[key] {
			t.Errorf("%s caused by %s: sequence %d, want %d", key, d.CauseEventID, d.Sequence, next[key])
		}
	}
	for key, n := range next {
		if got := p.Cabin(key).Sequence; got != n {
			t.Errorf("Cabin(%s).Sequence = %d, want %d", key, got, n)
		}
	}
	if got, want := stats.Published.Load(), int64(len(published)); got != want {
		t.Errorf("Stats.Published = %d, want %d", got, want)
	}
}

func TestUnchangedLadderPublished(t *testing.T) {
	tests := []struct {
		name          string
		publishAlways bool
		want          []int64 // sequences of the second snapshot's decisions
	}{
		{"changed only", false, nil},
		{"always", true, []int64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := new(Stats)
			pr := NewProcessor(loadPolicy(t, "", time.Time{}), tt.publishAlways, stats, nil)
			p := state.NewPartition(0)
			apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(0), 185, 60))
			p.Commit()
			ladder := p.Cabin(state.CabinKey(flight("100"), "Y")).LastLadder

			// The same numbers an hour later, on the same day: the same
			// ladder.
			decisions := apply(t, pr, p, snapshotEvent("s2", flight("100"), hour(1), 185, 60))
			if got := sequenceNumbers(decisions); !slices.Equal(got, tt.want) {
				t.Errorf("sequences = %v, want %v", got, tt.want)
			}
			if got := stats.Decisions.Load(); got != 2 {
				t.Errorf("Stats.Decisions = %d, want 2: an unpublished decision is still counted", got)
			}
			if got, want := stats.Published.Load(), int64(1+len(tt.want)); got != want {
				t.Errorf("Stats.Published = %d, want %d", got, want)
			}
			c := p.Cabin(state.CabinKey(flight("100"), "Y"))
			if got, want := c.Sequence, int64(1+len(tt.want)); got != want {
				t.Errorf("Sequence = %d, want %d", got, want)
			}
			if c.LastLadder != ladder {
				t.Errorf("LastLadder = %x, want the unchanged %x", c.LastLadder, ladder)
			}
		})
	}
}

func TestDuplicateBooking(t *testing.T) {
	tests := []struct {
		name  string
		again *inventory.Booking
	}{
		{"same event", bookEvent("e1", "B1", flight("100"), "M", 2, hour(1))},
		{"same id, other booking", bookEvent("e1", "B7", flight("100"), "Y", 4, hour(2))},
		{"same id, cancellation", cancelEvent("e1", "B1", flight("100"), "M", 1, hour(2))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := new(Stats)
			pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
			p := state.NewPartition(0)
			apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(0), 185, 60))
			apply(t, pr, p, bookEvent("e1", "B1", flight("100"), "M", 2, hour(1)))
			p.Commit()
			wantState, wantSequences := canonical(t, p), sequences(p)

			decisions := apply(t, pr, p, tt.again)
			if len(decisions) != 0 {
				t.Errorf("decisions = %d, want 0", len(decisions))
			}
			if got := stats.Duplicates.Load(); got != 1 {
				t.Errorf("Stats.Duplicates = %d, want 1", got)
			}
			if got := stats.Applied.Load(); got != 2 {
				t.Errorf("Stats.Applied = %d, want 2", got)
			}
			if got := p.Changes(); len(got) != 0 {
				t.Errorf("Changes() = %d records, want none", len(got))
			}
			if got := canonical(t, p); got != wantState {
				t.Errorf("state changed:\ngot  %s\nwant %s", got, wantState)
			}
			if got := sequences(p); got != wantSequences {
				t.Errorf("sequences = %s, want %s", got, wantSequences)
			}
		})
	}
}

func TestRejectedBookingLeavesNoTrace(t *testing.T) {
	setup := []inventory.Event{
		snapshotEvent("s1", flight("100"), hour(0), 185, 60),
		bookEvent("e1", "B1", flight("100"), "M", 2, hour(1)),
	}
	invalid := bookEvent("e9", "B9", flight("100"), "M", 0, hour(2))
	invalidAction := bookEvent("e9", "B9", flight("100"), "M", 1, hour(2))
	invalidAction.Action = 0

	tests := []struct {
		name  string
		setup []inventory.Event
		event *inventory.Booking
		want  error
	}{
		{"more seats than held", setup, cancelEvent("e9", "B1", flight("100"), "M", 3, hour(2)), inventory.ErrCancelExceedsHolding},
		{"unknown booking", setup, cancelEvent("e9", "B8", flight("100"), "M", 1, hour(2)), inventory.ErrUnknownBooking},
		{"other class", setup, cancelEvent("e9", "B1", flight("100"), "Y", 1, hour(2)), inventory.ErrClassMismatch},
		{"booking id held", setup, bookEvent("e9", "B1", flight("100"), "M", 1, hour(2)), inventory.ErrBookingExists},
		{"unknown booking, no cabin", nil, cancelEvent("e9", "B8", flight("100"), "M", 1, hour(2)), inventory.ErrUnknownBooking},
		{"unknown booking, other flight", setup, cancelEvent("e9", "B1", flight("200"), "M", 1, hour(2)), inventory.ErrUnknownBooking},
		{"zero seats, no cabin", nil, invalid, inventory.ErrInvalidBooking},
		{"unknown action, no cabin", nil, invalidAction, inventory.ErrInvalidBooking},
		{"zero seats", setup, invalid, inventory.ErrInvalidBooking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := new(Stats)
			pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
			p := state.NewPartition(0)
			for _, e := range tt.setup {
				apply(t, pr, p, e)
			}
			p.Commit()
			wantState, wantSequences, wantKeys := canonical(t, p), sequences(p), p.CabinKeys()
			wantApplied := stats.Applied.Load()
			key := state.CabinKey(tt.event.Flight, tt.event.Cabin)
			existed := p.Cabin(key) != nil

			decisions, err := pr.Apply(p, tt.event)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Apply error = %v, want %v", err, tt.want)
			}
			if len(decisions) != 0 {
				t.Errorf("decisions = %d, want 0", len(decisions))
			}
			if !existed {
				if got := p.Cabin(key); got != nil {
					t.Errorf("Cabin(%s) = %+v, want nil: a rejected event must not create a cabin", key, got)
				}
				if got := p.Changes(); len(got) != 0 {
					t.Errorf("Changes() = %d records, want none", len(got))
				}
				if got := p.CabinsOf(tt.event.Flight.Market(), tt.event.Cabin); slices.Contains(got, key) {
					t.Errorf("CabinsOf = %q, want it without %s", got, key)
				}
			}
			if got := canonical(t, p); got != wantState {
				t.Errorf("state changed:\ngot  %s\nwant %s", got, wantState)
			}
			if got := sequences(p); got != wantSequences {
				t.Errorf("sequences = %s, want %s", got, wantSequences)
			}
			if got := p.CabinKeys(); !slices.Equal(got, wantKeys) {
				t.Errorf("CabinKeys() = %q, want %q", got, wantKeys)
			}
			if got := stats.Applied.Load(); got != wantApplied {
				t.Errorf("Stats.Applied = %d, want %d", got, wantApplied)
			}

			// A rejected event is not remembered: once valid, the same id
			// is judged again.
			if c := p.Cabin(key); c != nil {
				if _, seen := c.Seen[tt.event.EventID]; seen {
					t.Errorf("Seen holds the rejected event %s", tt.event.EventID)
				}
			}
		})
	}
}

func TestQuoteRepricesMarketDay(t *testing.T) {
	stats := new(Stats)
	pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
	p := state.NewPartition(0)
	otherDay := flight("100")
	otherDay.Date = departure.AddDate(0, 0, 1)
	business := snapshotEvent("s4", flight("100"), hour(0), 30, 10)
	business.Cabin = "J"
	business.PhysicalCapacity = 30
	for _, e := range []inventory.Event{
		snapshotEvent("s1", flight("100"), hour(0), 185, 60),
		snapshotEvent("s2", flight("200"), hour(0), 185, 90),
		snapshotEvent("s3", otherDay, hour(0), 185, 60),
		business,
		bookEvent("e1", "B1", flight("300"), "M", 1, hour(0)),
	} {
		apply(t, pr, p, e)
	}
	p.Commit()
	decisionsBefore := stats.Decisions.Load()

	q := quoteEvent("q1", flight("100").Market(), "BA", "612.00", "USD", hour(1))
	decisions := apply(t, pr, p, q)

	var got []string
	for _, d := range decisions {
		got = append(got, state.CabinKey(d.Flight, d.Cabin))
		if d.CauseEventID != q.EventID {
			t.Errorf("%s: cause %q, want %q", d.Flight.Key(), d.CauseEventID, q.EventID)
		}
		if !d.EventTime.Equal(q.ObservedAt) {
			t.Errorf("%s: event time %v, want the observation time %v", d.Flight.Key(), d.EventTime, q.ObservedAt)
		}
		if d.LowestCompetitor == nil || d.LowestCompetitor.EventID != q.EventID {
			t.Errorf("%s: lowest competitor %+v, want quote %s", d.Flight.Key(), d.LowestCompetitor, q.EventID)
		}
	}
	want := []string{state.CabinKey(flight("100"), "Y"), state.CabinKey(flight("200"), "Y")}
	if !slices.Equal(got, want) {
		t.Errorf("repriced cabins = %q, want %q", got, want)
	}
	if got := stats.Decisions.Load() - decisionsBefore; got != 2 {
		t.Errorf("Stats.Decisions grew by %d, want 2", got)
	}
	if got := stats.Unpriced.Load(); got != 2 {
		t.Errorf("Stats.Unpriced = %d, want 2: the booking on FF300, then the quote on FF300", got)
	}
	if b := p.Board(flight("100").Market(), "Y"); b == nil || len(b.Quotes) != 1 {
		t.Errorf("Board(Y) = %+v, want one quote", b)
	}
}

func TestQuoteCurrency(t *testing.T) {
	tests := []struct {
		name     string
		fare     string
		currency string
		wantErr  string // a part of the error text, or empty when the quote is accepted
	}{
		{"policy currency", "612.00", "USD", ""},
		{"rate in policy", "480.00", "GBP", ""},
		{"no rate", "560.00", "CHF", "no exchange rate CHF/USD"},
		{"unknown currency", "560.00", "ZZZ", "invalid competitor fare currency"},
		{"zero fare", "0", "USD", "want an amount above zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := new(Stats)
			pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
			p := state.NewPartition(0)
			apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(0), 185, 60))
			p.Commit()

			m := flight("100").Market()
			decisions, err := pr.Apply(p, quoteEvent("q1", m, "BA", tt.fare, tt.currency, hour(1)))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Apply error = %v, want nil", err)
				}
				if len(decisions) != 1 {
					t.Errorf("decisions = %d, want 1", len(decisions))
				}
				if b := p.Board(m, "Y"); b == nil || len(b.Quotes) != 1 {
					t.Errorf("Board(Y) = %+v, want one quote", b)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Apply error = %v, want one containing %q", err, tt.wantErr)
			}
			if len(decisions) != 0 {
				t.Errorf("decisions = %d, want 0", len(decisions))
			}
			if b := p.Board(m, "Y"); b != nil {
				t.Errorf("Board(Y) = %+v, want nil", b)
			}
			if got := p.Changes(); len(got) != 0 {
				t.Errorf("Changes() = %d records, want none", len(got))
			}
			if got := stats.Applied.Load(); got != 1 {
				t.Errorf("Stats.Applied = %d, want 1", got)
			}
		})
	}
}

func TestApplyPolicy(t *testing.T) {
	stats := new(Stats)
	first := loadPolicy(t, "", time.Time{})
	// Every decision is published, so the test gets a decision for every
	// repriced cabin whether or not its ladder changed.
	pr := NewProcessor(first, true, stats, nil)
	p := state.NewPartition(0)
	if got := pr.ApplyPolicy(p, first); len(got) != 0 {
		t.Errorf("ApplyPolicy(first) on an empty state = %d decisions, want 0", len(got))
	}

	business := snapshotEvent("s3", flight("100"), hour(0), 30, 10)
	business.Cabin = "J"
	business.PhysicalCapacity = 30
	uncovered := snapshotEvent("s4", flight("900"), hour(0), 185, 10)
	uncovered.Flight.Destination = "SFO"
	for _, e := range []inventory.Event{
		snapshotEvent("s1", flight("100"), hour(0), 185, 60),
		snapshotEvent("s2", flight("200"), hour(0), 185, 90),
		business,
		uncovered,
		bookEvent("e1", "B1", flight("300"), "M", 1, hour(0)),
	} {
		apply(t, pr, p, e)
	}
	p.Commit()

	effective := departure.Add(-5 * 24 * time.Hour)
	second := loadPolicy(t, "2027-03-15.1", effective)
	decisionsBefore, notCoveredBefore := stats.Decisions.Load(), stats.NotCovered.Load()
	decisions := pr.ApplyPolicy(p, second)

	var got []string
	for _, d := range decisions {
		key := state.CabinKey(d.Flight, d.Cabin)
		got = append(got, key)
		if want := "policy/2027-03-15.1"; d.CauseEventID != want {
			t.Errorf("%s: cause %q, want %q", key, d.CauseEventID, want)
		}
		if !d.EventTime.Equal(effective) {
			t.Errorf("%s: event time %v, want the effective time %v", key, d.EventTime, effective)
		}
		if d.PolicyVersion != second.Version() {
			t.Errorf("%s: policy version %q, want %q", key, d.PolicyVersion, second.Version())
		}
		if d.Sequence != 2 {
			t.Errorf("%s: sequence %d, want 2", key, d.Sequence)
		}
	}
	want := []string{
		state.CabinKey(flight("100"), "J"),
		state.CabinKey(flight("100"), "Y"),
		state.CabinKey(flight("200"), "Y"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("repriced cabins = %q, want %q", got, want)
	}
	if got := stats.Decisions.Load() - decisionsBefore; got != 3 {
		t.Errorf("Stats.Decisions grew by %d, want 3", got)
	}
	if got := stats.NotCovered.Load() - notCoveredBefore; got != 1 {
		t.Errorf("Stats.NotCovered grew by %d, want 1: the JFK-SFO cabin", got)
	}
	if got, want := p.Meta(), (state.Meta{PolicyVersion: "2027-03-15.1", PolicyEffectiveAt: effective}); got.PolicyVersion != want.PolicyVersion || !got.PolicyEffectiveAt.Equal(want.PolicyEffectiveAt) {
		t.Errorf("Meta() = %+v, want %+v", got, want)
	}
	if pr.Policy() != second {
		t.Errorf("Policy() is not the applied policy")
	}
	var changed []string
	for _, ch := range p.Changes() {
		changed = append(changed, ch.Key)
	}
	if !slices.Contains(changed, state.MetaKey) {
		t.Errorf("Changes() = %q, want it to hold %q", changed, state.MetaKey)
	}
	p.Commit()

	// The same version again does nothing.
	decisionsBefore = stats.Decisions.Load()
	if got := pr.ApplyPolicy(p, second); len(got) != 0 {
		t.Errorf("second ApplyPolicy = %d decisions, want 0", len(got))
	}
	if got := stats.Decisions.Load() - decisionsBefore; got != 0 {
		t.Errorf("Stats.Decisions grew by %d on the second ApplyPolicy, want 0", got)
	}
	if got := p.Changes(); len(got) != 0 {
		t.Errorf("Changes() after the second ApplyPolicy = %d records, want none", len(got))
	}
}

func TestApplyPolicyRolledBack(t *testing.T) {
	first := loadPolicy(t, "", time.Time{})
	pr := NewProcessor(first, true, nil, nil)
	p := state.NewPartition(0)
	pr.ApplyPolicy(p, first)
	apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(0), 185, 60))
	p.Commit()

	second := loadPolicy(t, "2027-03-15.1", departure.Add(-5*24*time.Hour))
	if got := pr.ApplyPolicy(p, second); len(got) != 1 {
		t.Fatalf("ApplyPolicy(second) = %d decisions, want 1", len(got))
	}
	p.Rollback()
	if got, want := p.Meta().PolicyVersion, first.Version(); got != want {
		t.Errorf("Meta().PolicyVersion after Rollback = %q, want %q", got, want)
	}

	// The aborted repricing happens again, with the same sequence number.
	decisions := pr.ApplyPolicy(p, second)
	if got := sequenceNumbers(decisions); !slices.Equal(got, []int64{2}) {
		t.Errorf("sequences after Rollback = %v, want [2]", got)
	}
}

func TestProcessorDeterministic(t *testing.T) {
	const events = 3000
	policy := loadPolicy(t, "", time.Time{})

	run := func(seed uint64) (decisions []string, errs []string, final string) {
		pr := NewProcessor(policy, false, nil, nil)
		p := state.NewPartition(0)
		market := loadtest.NewMarket(loadtest.DefaultMarket(seed))
		for range events {
			out, err := pr.Apply(p, market.Next())
			if err != nil {
				errs = append(errs, err.Error())
			}
			decisions = append(decisions, decisionJSON(t, out)...)
			p.Commit()
		}
		return decisions, errs, canonical(t, p) + sequences(p)
	}

	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			gotDecisions, gotErrs, gotState := run(seed)
			wantDecisions, wantErrs, wantState := run(seed)
			if len(gotDecisions) == 0 {
				t.Fatalf("no decisions from %d events", events)
			}
			if i := firstDifference(gotDecisions, wantDecisions); i >= 0 {
				t.Errorf("decision %d differs:\ngot  %s\nwant %s", i, at(gotDecisions, i), at(wantDecisions, i))
			}
			if !slices.Equal(gotErrs, wantErrs) {
				t.Errorf("errors = %q, want %q", gotErrs, wantErrs)
			}
			if gotState != wantState {
				t.Errorf("final state differs:\ngot  %s\nwant %s", gotState, wantState)
			}
		})
	}
}

// firstDifference returns the first index at which a and b differ, or -1
// when they are equal.
func firstDifference(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return "(none)"
}

func TestOversale(t *testing.T) {
	tests := []struct {
		name          string
		sold          int
		booked        int // seats booked after the snapshot
		wantOversold  int64
		wantAvailable int // of the highest class
	}{
		{"below authorized", 184, 0, 0, 1},
		{"at authorized", 185, 0, 0, 0},
		{"snapshot above", 186, 0, 1, 0},
		{"booking above", 185, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := new(Stats)
			pr := NewProcessor(loadPolicy(t, "", time.Time{}), true, stats, nil)
			p := state.NewPartition(0)
			decisions := apply(t, pr, p, snapshotEvent("s1", flight("100"), hour(0), 185, tt.sold))
			if tt.booked > 0 {
				decisions = apply(t, pr, p, bookEvent("e1", "B1", flight("100"), "Y", tt.booked, hour(1)))
			}
			if len(decisions) != 1 {
				t.Fatalf("decisions = %d, want 1", len(decisions))
			}
			d := decisions[0]

			if got := stats.Oversold.Load(); got != tt.wantOversold {
				t.Errorf("Stats.Oversold = %d, want %d", got, tt.wantOversold)
			}
			if got := d.Ladder[0].Available; got != tt.wantAvailable {
				t.Errorf("class %s available = %d, want %d", d.Ladder[0].Class, got, tt.wantAvailable)
			}
			for _, rung := range d.Ladder[1:] {
				if rung.Available > tt.wantAvailable {
					t.Errorf("class %s available = %d, want at most %d", rung.Class, rung.Available, tt.wantAvailable)
				}
			}
			if tt.wantAvailable == 0 && d.OfferedClass != "" {
				t.Errorf("offered class = %q, want none open", d.OfferedClass)
			}
			wantLoad := decimal.NewFromInt(int64(tt.sold + tt.booked)).Mul(decimal.NewFromInt(100)).Div(decimal.NewFromInt(180)).Round(2)
			if !d.LoadFactor.Equal(wantLoad) {
				t.Errorf("load factor = %s, want %s: the over-sale is kept as reported", d.LoadFactor, wantLoad)
			}
		})
	}
}

// TestCommittedTransactionsReplay applies random market events in random
// transactions, commits or rolls back each, and checks that the state, the
// published decisions and the changelog match a replay of the committed
// transactions' events alone.
func TestCommittedTransactionsReplay(t *testing.T) {
	const events = 2500
	policy := loadPolicy(t, "", time.Time{})
	tests := []struct {
		name  string
		retry bool // an aborted transaction's events are applied again, as after a Kafka abort
	}{
		{"aborted dropped", false},
		{"aborted retried", true},
	}
	for _, tt := range tests {
		for _, seed := range []uint64{1, 2, 3, 4} {
			t.Run(fmt.Sprintf("%s/seed %d", tt.name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 0xab0))
				market := loadtest.NewMarket(loadtest.DefaultMarket(seed))
				pr := NewProcessor(policy, false, nil, nil)
				p := state.NewPartition(0)
				restored := state.NewPartition(0)

				var (
					committed          []inventory.Event
					committedDecisions []string
					committedErrs      []string
					batch              []inventory.Event
					aborts             int
				)
				for read := 0; read < events || batch != nil; {
					if batch == nil {
						for range 1 + rng.IntN(12) {
							batch = append(batch, market.Next())
						}
						read += len(batch)
					}
					var decisions, errs []string
					for _, e := range batch {
						out, err := pr.Apply(p, e)
						errs = append(errs, errorText(err))
						decisions = append(decisions, decisionJSON(t, out)...)
					}

					if rng.IntN(3) == 0 {
						p.Rollback()
						aborts++
						if !tt.retry {
							batch = nil
						}
						continue
					}
					for _, ch := range p.Changes() {
						restored.Restore(ch)
					}
					p.Commit()
					committed = append(committed, batch...)
					committedDecisions = append(committedDecisions, decisions...)
					committedErrs = append(committedErrs, errs...)
					batch = nil
				}
				if aborts == 0 {
					t.Fatal("no transaction rolled back, so the test would check nothing")
				}

				// Replay the committed events alone, one transaction each.
				replayProcessor := NewProcessor(policy, false, nil, nil)
				replay := state.NewPartition(0)
				var replayDecisions, replayErrs []string
				for _, e := range committed {
					out, err := replayProcessor.Apply(replay, e)
					replayErrs = append(replayErrs, errorText(err))
					replayDecisions = append(replayDecisions, decisionJSON(t, out)...)
					replay.Commit()
				}

				want := canonical(t, replay) + sequences(replay)
				if got := canonical(t, p) + sequences(p); got != want {
					t.Errorf("state differs from the replay:\ngot  %s\nwant %s", got, want)
				}
				if got := canonical(t, restored) + sequences(restored); got != want {
					t.Errorf("state restored from the changes differs from the replay:\ngot  %s\nwant %s", got, want)
				}
				if i := firstDifference(committedDecisions, replayDecisions); i >= 0 {
					t.Errorf("committed decision %d of %d differs from the replay:\ngot  %s\nwant %s",
						i, len(replayDecisions), at(committedDecisions, i), at(replayDecisions, i))
				}
				if i := firstDifference(committedErrs, replayErrs); i >= 0 {
					t.Errorf("error of committed event %d differs from the replay: got %q, want %q",
						i, at(committedErrs, i), at(replayErrs, i))
				}
				if got, want := p.CabinKeys(), replay.CabinKeys(); !slices.Equal(got, want) {
					t.Errorf("CabinKeys() = %q, want %q", got, want)
				}
			})
		}
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
