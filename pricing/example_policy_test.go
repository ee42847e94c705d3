package pricing

import (
	"path/filepath"
	"testing"
)

func TestExamplePolicyParses(t *testing.T) {
	p, err := LoadPolicyFile(filepath.Join("..", "examples", "policy.yaml"))
	if err != nil {
		t.Fatalf("LoadPolicyFile(examples/policy.yaml): %v", err)
	}
	if got, want := p.Version(), "2027-03-01.1"; got != want {
		t.Errorf("Version() = %q, want %q", got, want)
	}
}
