package stream

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

var balancerTopics = []string{"bookings", "load-factors", "competitor-fares"}

// joinMembers returns n group members subscribed to every input topic, with
// member ids listed in reverse order so the balancer has to sort them.
func joinMembers(n int) []kmsg.JoinGroupResponseMember {
	members := make([]kmsg.JoinGroupResponseMember, 0, n)
	for i := n - 1; i >= 0; i-- {
		meta := kmsg.NewConsumerMemberMetadata()
		meta.Version = 1
		meta.Topics = slices.Clone(balancerTopics)
		m := kmsg.NewJoinGroupResponseMember()
		m.MemberID = fmt.Sprintf("member-%d", i)
		m.ProtocolMetadata = meta.AppendTo(nil)
		members = append(members, m)
	}
	return members
}

// balance runs the copartition balancer over members as the group leader
// would, and returns the plan as member id -> topic -> partitions.
func balance(t *testing.T, members []kmsg.JoinGroupResponseMember, partitions int32) map[string]map[string][]int32 {
	t.Helper()
	memberBalancer, topics, err := copartitionBalancer{}.MemberBalancer(members)
	if err != nil {
		t.Fatalf("MemberBalancer: %v", err)
	}
	if got, want := slices.Sorted(maps.Keys(topics)), slices.Sorted(slices.Values(balancerTopics)); !slices.Equal(got, want) {
		t.Errorf("member topics = %q, want %q", got, want)
	}

	counts := make(map[string]int32, len(balancerTopics))
	for _, topic := range balancerTopics {
		counts[topic] = partitions
	}
	withError, ok := memberBalancer.(kgo.GroupMemberBalancerOrError)
	if !ok {
		t.Fatalf("member balancer %T does not implement kgo.GroupMemberBalancerOrError", memberBalancer)
	}
	assignment, err := withError.BalanceOrError(counts)
	if err != nil {
		t.Fatalf("BalanceOrError: %v", err)
	}
	plan, ok := assignment.(*kgo.BalancePlan)
	if !ok {
		t.Fatalf("assignment is %T, want *kgo.BalancePlan", assignment)
	}
	return plan.AsMemberIDMap()
}

func TestBalancerCopartitions(t *testing.T) {
	for _, members := range []int{1, 2, 3, 5} {
		for _, partitions := range []int32{4, 6} {
			t.Run(fmt.Sprintf("%d members %d partitions", members, partitions), func(t *testing.T) {
				plan := balance(t, joinMembers(members), partitions)

				// owner[topic][p] is the member that got partition p of topic.
				owner := map[string]map[int32]string{}
				for member, topics := range plan {
					for topic, ps := range topics {
						if !slices.Contains(balancerTopics, topic) {
							t.Errorf("member %s got unknown topic %q", member, topic)
						}
						if owner[topic] == nil {
							owner[topic] = map[int32]string{}
						}
						for _, p := range ps {
							if previous, assigned := owner[topic][p]; assigned {
								t.Errorf("%s partition %d went to %s and %s, want one member", topic, p, previous, member)
							}
							owner[topic][p] = member
						}
					}
				}

				perMember := map[string]int{}
				for p := range partitions {
					first := owner[balancerTopics[0]][p]
					if first == "" {
						t.Errorf("%s partition %d went to no member", balancerTopics[0], p)
					}
					for _, topic := range balancerTopics[1:] {
						if got := owner[topic][p]; got != first {
							t.Errorf("%s partition %d went to %q, want %q, the owner of %s partition %d", topic, p, got, first, balancerTopics[0], p)
						}
					}
					perMember[first]++
				}
				for topic, ps := range owner {
					for p := range ps {
						if p < 0 || p >= partitions {
							t.Errorf("%s partition %d assigned, want 0 to %d", topic, p, partitions-1)
						}
					}
				}

				// Every member counts, including one that got nothing.
				minCount, maxCount := int(partitions), 0
				for i := range members {
					n := perMember[fmt.Sprintf("member-%d", i)]
					minCount, maxCount = min(minCount, n), max(maxCount, n)
				}
				if maxCount-minCount > 1 {
					t.Errorf("partitions per member range from %d to %d, want a difference of at most 1: %v", minCount, maxCount, perMember)
				}
			})
		}
	}
}

func TestBalancerMemberOrder(t *testing.T) {
	members := joinMembers(3)
	reversed := slices.Clone(members)
	slices.Reverse(reversed)

	got := balance(t, reversed, 6)
	want := balance(t, members, 6)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plan with members in reverse order = %v, want %v", got, want)
	}
}

func TestBalancerJoinMetadata(t *testing.T) {
	data := copartitionBalancer{}.JoinGroupMetadata(balancerTopics, nil, 7)
	meta := kmsg.NewConsumerMemberMetadata()
	if err := meta.ReadFrom(data); err != nil {
		t.Fatalf("ReadFrom(JoinGroupMetadata): %v", err)
	}
	if !slices.Equal(meta.Topics, balancerTopics) {
		t.Errorf("topics = %q, want %q", meta.Topics, balancerTopics)
	}
}
