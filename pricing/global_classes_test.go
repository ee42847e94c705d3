package pricing

import (
	"os"
	"strings"
	"testing"
)

// TestGlobalRuleUnknownClass rejects a top-level rule whose class filter
// names a class no covered ladder has, since the rule would never fire.
func TestGlobalRuleUnknownClass(t *testing.T) {
	data, err := os.ReadFile("../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "classes: [Q, K, L, V]", "classes: [Q, K, L, Z]", 1)
	if text == string(data) {
		t.Fatal("example policy has no class filter [Q, K, L, V] to change")
	}
	_, err = ParsePolicy([]byte(text))
	if err == nil {
		t.Fatal("ParsePolicy accepted a rule for class Z, want a problem")
	}
	want := `rules[2].classes[3]: "Z" is not in the ladder of any cabin this rule covers`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("ParsePolicy error = %v, want it to contain %q", err, want)
	}
}
