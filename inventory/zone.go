package inventory

import (
	"fmt"
	"sync"
	"time"
)

// zones caches loaded time zones: time.LoadLocation reads the zone database
// from disk on every call.
var zones sync.Map // string -> *time.Location

// LoadLocation returns the IANA time zone of that name.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("invalid time zone %q: want an IANA zone name such as Europe/Berlin", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("invalid time zone %q: want an IANA zone name such as Europe/Berlin: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}
