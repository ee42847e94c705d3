package stream

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fareflow/fareflow/inventory"
)

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name          string
		cfg           Config
		wantGroup     string
		wantChangelog string
	}{
		{"zero", Config{}, "fareflow", "fareflow-changelog"},
		{"group", Config{Group: "pricing"}, "pricing", "pricing-changelog"},
		{"changelog", Config{Group: "pricing", Changelog: "state"}, "pricing", "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.setDefaults()
			if cfg.Group != tt.wantGroup {
				t.Errorf("Group = %q, want %q", cfg.Group, tt.wantGroup)
			}
			if cfg.Changelog != tt.wantChangelog {
				t.Errorf("Changelog = %q, want %q", cfg.Changelog, tt.wantChangelog)
			}
			if want := (Topics{"bookings", "load-factors", "competitor-fares"}); cfg.Inputs != want {
				t.Errorf("Inputs = %+v, want %+v", cfg.Inputs, want)
			}
			if cfg.PriceUpdates != "price-updates" {
				t.Errorf("PriceUpdates = %q, want %q", cfg.PriceUpdates, "price-updates")
			}
			if cfg.DeadLetters != "dead-letters" {
				t.Errorf("DeadLetters = %q, want %q", cfg.DeadLetters, "dead-letters")
			}
			if cfg.TransactionTimeout != 20*time.Second {
				t.Errorf("TransactionTimeout = %v, want 20s", cfg.TransactionTimeout)
			}
			if cfg.SessionTimeout != 10*time.Second {
				t.Errorf("SessionTimeout = %v, want 10s", cfg.SessionTimeout)
			}
			if cfg.PolicyWatchInterval != 2*time.Second {
				t.Errorf("PolicyWatchInterval = %v, want 2s", cfg.PolicyWatchInterval)
			}
			if cfg.InstanceID == "" {
				t.Error("InstanceID is empty, want the host name and process id")
			}
			if cfg.Logger == nil {
				t.Error("Logger is nil, want a discarding logger")
			}
			if cfg.Stats == nil {
				t.Error("Stats is nil, want a new one")
			}
		})
	}
}

func TestConfigDefaultsKeepSet(t *testing.T) {
	stats := new(Stats)
	cfg := Config{
		InstanceID:          "pod-1",
		Inputs:              Single("events"),
		PriceUpdates:        "prices",
		DeadLetters:         "rejected",
		TransactionTimeout:  time.Minute,
		SessionTimeout:      30 * time.Second,
		PolicyWatchInterval: time.Second,
		Stats:               stats,
	}
	cfg.setDefaults()

	if cfg.InstanceID != "pod-1" {
		t.Errorf("InstanceID = %q, want %q", cfg.InstanceID, "pod-1")
	}
	if want := Single("events"); cfg.Inputs != want {
		t.Errorf("Inputs = %+v, want %+v", cfg.Inputs, want)
	}
	if cfg.PriceUpdates != "prices" || cfg.DeadLetters != "rejected" {
		t.Errorf("PriceUpdates, DeadLetters = %q, %q, want %q, %q", cfg.PriceUpdates, cfg.DeadLetters, "prices", "rejected")
	}
	if cfg.TransactionTimeout != time.Minute || cfg.SessionTimeout != 30*time.Second || cfg.PolicyWatchInterval != time.Second {
		t.Errorf("timeouts = %v, %v, %v, want 1m0s, 30s, 1s", cfg.TransactionTimeout, cfg.SessionTimeout, cfg.PolicyWatchInterval)
	}
	if cfg.Stats != stats {
		t.Error("Stats replaced, want the one set")
	}
}

func TestConfigValidate(t *testing.T) {
	policy := loadPolicy(t, "", time.Time{})
	valid := func() Config {
		return Config{Brokers: []string{"127.0.0.1:9092"}, Policy: policy}
	}

	tests := []struct {
		name  string
		edit  func(c *Config)
		wants []string // a part of each reported problem, in order
	}{
		{"valid", func(c *Config) {}, nil},
		{"valid single topic", func(c *Config) { c.Inputs = Single("events") }, nil},
		{"no brokers", func(c *Config) { c.Brokers = nil }, []string{"no brokers"}},
		{"no policy", func(c *Config) { c.Policy = nil }, []string{"no pricing policy"}},
		{"output is input", func(c *Config) { c.PriceUpdates = "bookings" }, []string{`topic "bookings" is both an input and an output topic`}},
		{"changelog is input", func(c *Config) { c.Changelog = "load-factors" }, []string{`topic "load-factors"`}},
		{"policy topic is input", func(c *Config) {
			c.Inputs = Single("events")
			c.PolicyTopic = "events"
		}, []string{`topic "events"`}},
		{"short transaction timeout", func(c *Config) { c.TransactionTimeout = 500 * time.Millisecond }, []string{"transaction timeout 500ms"}},
		{"every problem", func(c *Config) {
			c.Brokers = nil
			c.Policy = nil
			c.DeadLetters = "competitor-fares"
		}, []string{"no brokers", "no pricing policy", `topic "competitor-fares"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.edit(&cfg)
			cfg.setDefaults()
			err := cfg.validate()

			if len(tt.wants) == 0 {
				if err != nil {
					t.Fatalf("validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("validate() = nil, want %d problems", len(tt.wants))
			}
			joined, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("validate() = %T, want errors joined with errors.Join", err)
			}
			problems := joined.Unwrap()
			if len(problems) != len(tt.wants) {
				t.Fatalf("validate() reported %d problems, want %d:\n%v", len(problems), len(tt.wants), err)
			}
			for i, want := range tt.wants {
				if got := problems[i].Error(); !strings.Contains(got, want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got, want)
				}
			}
		})
	}
}

func TestTopicsNames(t *testing.T) {
	tests := []struct {
		name   string
		topics Topics
		want   []string
	}{
		{"one each", Topics{"bookings", "load-factors", "competitor-fares"}, []string{"bookings", "load-factors", "competitor-fares"}},
		{"single", Single("events"), []string{"events"}},
		{"two shared", Topics{"inventory", "inventory", "competitor-fares"}, []string{"inventory", "competitor-fares"}},
		{"first and last shared", Topics{"events", "load-factors", "events"}, []string{"events", "load-factors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.topics.Names(); !slices.Equal(got, tt.want) {
				t.Errorf("Names() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTopicsKinds(t *testing.T) {
	tests := []struct {
		name   string
		topics Topics
		want   map[string][]inventory.Kind
	}{
		{"one each", Topics{"bookings", "load-factors", "competitor-fares"}, map[string][]inventory.Kind{
			"bookings":         {inventory.KindBooking},
			"load-factors":     {inventory.KindLoadFactor},
			"competitor-fares": {inventory.KindCompetitorFare},
		}},
		{"single", Single("events"), map[string][]inventory.Kind{
			"events": {inventory.KindBooking, inventory.KindLoadFactor, inventory.KindCompetitorFare},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.topics.kinds()
			if len(got) != len(tt.want) {
				t.Errorf("kinds() = %v, want %v", got, tt.want)
			}
			for topic, want := range tt.want {
				if !slices.Equal(got[topic], want) {
					t.Errorf("kinds()[%q] = %v, want %v", topic, got[topic], want)
				}
			}
		})
	}
}
