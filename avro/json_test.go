package avro

import (
	"errors"
	"strings"
	"testing"

	"github.com/fareflow/fareflow/inventory"
	"github.com/fareflow/fareflow/pricing"
)

const bookingLine = `{"type":"booking","event_id":"b-0001","booking_id":"PNR123","action":"book",` +
	`"flight":{"carrier":"AA","number":"100","origin":"JFK","destination":"LHR","departure_date":"2026-12-24","origin_time_zone":"America/New_York"},` +
	`"cabin":"Y","booking_class":"Q","seats":2,"channel":"web","fare":"450.00","currency":"USD","promo_code":null,"event_time":"2026-11-02T10:15:00.123Z"}`

func TestEventJSONRoundTrip(t *testing.T) {
	promo := testBooking(t)
	promo.PromoCode = ptr("XMAS10")
	totalOnly := testLoadFactor(t)
	totalOnly.SoldByClass, totalOnly.Forecast = nil, nil
	for name, want := range map[string]inventory.Event{
		"booking":         testBooking(t),
		"promo":           promo,
		"load factor":     testLoadFactor(t),
		"total-only":      totalOnly,
		"competitor fare": testCompetitorFare(t),
	} {
		t.Run(name, func(t *testing.T) {
			line, err := EventJSON(want)
			if err != nil {
				t.Fatalf("EventJSON: %v", err)
			}
			got, err := ParseEventJSON(line)
			if err != nil {
				t.Fatalf("ParseEventJSON(%s): %v", line, err)
			}
			assertEventsEqual(t, got, want)
		})
	}
}

func TestEventJSONCanonical(t *testing.T) {
	got, err := EventJSON(testBooking(t))
	if err != nil {
		t.Fatalf("EventJSON: %v", err)
	}
	if string(got) != bookingLine {
		t.Errorf("EventJSON =\n%s\nwant\n%s", got, bookingLine)
	}
}

func TestEventJSONAmountDigits(t *testing.T) {
	cases := []struct{ amount, currency, want string }{
		{"150", "USD", `"fare":"150.00"`},
		{"12.5", "KWD", `"fare":"12.500"`},
		{"12345", "JPY", `"fare":"12345"`},
		{"450.1234", "USD", `"fare":"450.1234"`},
	}
	for _, tc := range cases {
		b := testBooking(t)
		b.Fare, b.Currency = mustDecimal(t, tc.amount), tc.currency
		line, err := EventJSON(b)
		if err != nil {
			t.Fatalf("EventJSON: %v", err)
		}
		if !strings.Contains(string(line), tc.want) {
			t.Errorf("EventJSON of %s %s = %s, want it to contain %s", tc.amount, tc.currency, line, tc.want)
		}
	}
}

func TestParseEventJSONRejects(t *testing.T) {
	cases := map[string]struct {
		line string
		want string // a part of the error message
	}{
		"number amount":   {strings.Replace(bookingLine, `"fare":"450.00"`, `"fare":450.00`, 1), "JSON number"},
		"extra digits":    {strings.Replace(bookingLine, `"450.00"`, `"450.00001"`, 1), "fare"},
		"exponent amount": {strings.Replace(bookingLine, `"450.00"`, `"4.5e2"`, 1), "fare"},
		"missing seats":   {strings.Replace(bookingLine, `"seats":2,`, ``, 1), "seats"},
		"missing flight":  {strings.Replace(bookingLine, `"flight":{"carrier":"AA","number":"100","origin":"JFK","destination":"LHR","departure_date":"2026-12-24","origin_time_zone":"America/New_York"},`, ``, 1), "flight"},
		"missing origin":  {strings.Replace(bookingLine, `"origin":"JFK",`, ``, 1), "flight.origin"},
		"unknown field":   {strings.Replace(bookingLine, `"seats":2,`, `"seats":2,"meal":"veg",`, 1), "meal"},
		"unknown type":    {strings.Replace(bookingLine, `"booking"`, `"refund"`, 1), "type"},
		"missing type":    {strings.Replace(bookingLine, `"type":"booking",`, ``, 1), "type"},
		"nanosecond time": {strings.Replace(bookingLine, `10:15:00.123Z`, `10:15:00.1234Z`, 1), "millisecond"},
		"bad action":      {strings.Replace(bookingLine, `"book"`, `"BOOK"`, 1), "action"},
		"bad date":        {strings.Replace(bookingLine, `2026-12-24`, `24/12/2026`, 1), "departure_date"},
		"bad zone":        {strings.Replace(bookingLine, `America/New_York`, `EST5`, 1), "time zone"},
		"two objects":     {bookingLine + bookingLine, "after the JSON object"},
		"not an object":   {`[1,2]`, "invalid JSON record"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseEventJSON([]byte(tc.line))
			if !errors.Is(err, ErrInvalidJSON) {
				t.Fatalf("ParseEventJSON error = %v, want ErrInvalidJSON", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestParseEventJSONLocalOffset(t *testing.T) {
	line := strings.Replace(bookingLine, `2026-11-02T10:15:00.123Z`, `2026-11-02T05:15:00.123-05:00`, 1)
	e, err := ParseEventJSON([]byte(line))
	if err != nil {
		t.Fatalf("ParseEventJSON: %v", err)
	}
	if want := mustTime(t, "2026-11-02T10:15:00.123Z"); !e.Time().Equal(want) || e.Time().Location().String() != "UTC" {
		t.Errorf("event time = %v, want %v in UTC", e.Time(), want)
	}
}

func TestDecisionJSONCanonical(t *testing.T) {
	want := `{"flight":{"carrier":"AA","number":"100","origin":"JFK","destination":"LHR","departure_date":"2026-12-24","origin_time_zone":"America/New_York"},` +
		`"cabin":"Y","sequence":7,"offered_class":"Q","offered_price":"455.00","currency":"USD",` +
		`"ladder":[{"class":"Y","base_fare":"1200.00","price":"1200.00","available":9,"open":true},` +
		`{"class":"Q","base_fare":"420.00","price":"455.00","available":4,"open":true},` +
		`{"class":"V","base_fare":"250.00","price":"250.00","available":0,"open":false}],` +
		`"load_factor":"62.50",` +
		`"lowest_competitor":{"event_id":"cf-0001","market":{"origin":"JFK","destination":"LHR","departure_date":"2026-12-24"},"cabin":"Y","carrier":"BA","fare":"432.10","currency":"USD","observed_at":"2026-11-02T09:00:00Z","source":"shopping-feed"},` +
		`"rules":[{"rule_id":"dtd-14","class":"Q","effect":"percent +10","before":"420.00","after":"462.00"},` +
		`{"rule_id":"match-ba","class":"Q","effect":"ceiling","before":"462.00","after":"455.00"}],` +
		`"cause_event_id":"b-0001","policy_version":"2026-11-01.1","event_time":"2026-11-02T10:15:00.123Z"}`
	got, err := DecisionJSON(testDecision(t))
	if err != nil {
		t.Fatalf("DecisionJSON: %v", err)
	}
	if string(got) != want {
		t.Errorf("DecisionJSON =\n%s\nwant\n%s", got, want)
	}
}

func TestDecisionJSONRoundTrip(t *testing.T) {
	closed := testDecision(t)
	closed.OfferedClass, closed.OfferedPrice = "", mustDecimal(t, "0")
	closed.LowestCompetitor, closed.Ladder, closed.Rules = nil, nil, nil
	zero := testDecision(t)
	zero.OfferedPrice = mustDecimal(t, "0")
	for name, want := range map[string]*pricing.Decision{"full": testDecision(t), "closed": closed, "zero price": zero} {
		t.Run(name, func(t *testing.T) {
			data, err := DecisionJSON(want)
			if err != nil {
				t.Fatalf("DecisionJSON: %v", err)
			}
			got, err := ParseDecisionJSON(data)
			if err != nil {
				t.Fatalf("ParseDecisionJSON(%s): %v", data, err)
			}
			assertDecisionsEqual(t, got, want)
			again, err := DecisionJSON(got)
			if err != nil {
				t.Fatalf("DecisionJSON of the parsed decision: %v", err)
			}
			if string(again) != string(data) {
				t.Errorf("DecisionJSON after a round trip =\n%s\nwant\n%s", again, data)
			}
		})
	}
}

func TestDecisionJSONClosedCabin(t *testing.T) {
	d := testDecision(t)
	d.OfferedClass, d.OfferedPrice, d.Ladder, d.Rules = "", mustDecimal(t, "0"), nil, nil
	got, err := DecisionJSON(d)
	if err != nil {
		t.Fatalf("DecisionJSON: %v", err)
	}
	for _, part := range []string{`"offered_class":null`, `"offered_price":null`, `"ladder":[]`, `"rules":[]`} {
		if !strings.Contains(string(got), part) {
			t.Errorf("DecisionJSON = %s, want it to contain %s", got, part)
		}
	}
}

func TestDecisionJSONMinorUnits(t *testing.T) {
	cases := []struct{ amount, currency, want string }{
		{"150", "USD", `"offered_price":"150.00"`},
		{"12.5", "KWD", `"offered_price":"12.500"`},
		{"12345", "JPY", `"offered_price":"12345"`},
	}
	for _, tc := range cases {
		d := testDecision(t)
		d.OfferedPrice, d.Currency = mustDecimal(t, tc.amount), tc.currency
		got, err := DecisionJSON(d)
		if err != nil {
			t.Fatalf("DecisionJSON: %v", err)
		}
		if !strings.Contains(string(got), tc.want) {
			t.Errorf("DecisionJSON of %s %s = %s, want it to contain %s", tc.amount, tc.currency, got, tc.want)
		}
	}
}

func TestParseDecisionJSONRejects(t *testing.T) {
	valid, err := DecisionJSON(testDecision(t))
	if err != nil {
		t.Fatalf("DecisionJSON: %v", err)
	}
	cases := map[string]struct{ old, new, want string }{
		"number price":     {`"offered_price":"455.00"`, `"offered_price":455.00`, "JSON number"},
		"price no class":   {`"offered_class":"Q"`, `"offered_class":null`, "offered_price"},
		"missing rules":    {`"rules":[{"rule_id":"dtd-14","class":"Q","effect":"percent +10","before":"420.00","after":"462.00"},{"rule_id":"match-ba","class":"Q","effect":"ceiling","before":"462.00","after":"455.00"}],`, ``, "rules"},
		"unknown field":    {`"cabin":"Y",`, `"cabin":"Y","note":"x",`, "note"},
		"missing open":     {`"available":9,"open":true`, `"available":9`, "ladder[0].open"},
		"missing sequence": {`"sequence":7,`, ``, "sequence"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			data := strings.Replace(string(valid), tc.old, tc.new, 1)
			if data == string(valid) {
				t.Fatalf("the edit %q changed nothing", tc.old)
			}
			_, err := ParseDecisionJSON([]byte(data))
			if !errors.Is(err, ErrInvalidJSON) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseDecisionJSON error = %v, want ErrInvalidJSON mentioning %q", err, tc.want)
			}
		})
	}
}
