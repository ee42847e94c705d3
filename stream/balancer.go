package stream

import (
	"sort"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// copartitionBalancer assigns partition number p of every input topic to
// the same member, so the state of partition p (every event of the markets
// that hash to p) lives in one instance. Partition numbers are dealt to the
// members, sorted by member id, in contiguous ranges. It is eager: every
// rebalance revokes all partitions, and the stream restores each assigned
// partition's state from the changelog.
type copartitionBalancer struct{}

var _ kgo.GroupBalancer = copartitionBalancer{}

func (copartitionBalancer) ProtocolName() string { return "fareflow-copartitioned" }
func (copartitionBalancer) IsCooperative() bool  { return false }

func (copartitionBalancer) JoinGroupMetadata(topics []string, _ map[string][]int32, generation int32) []byte {
	meta := kmsg.NewConsumerMemberMetadata()
	meta.Version = 1
	meta.Topics = topics
	meta.Generation = generation
	return meta.AppendTo(nil)
}

func (copartitionBalancer) ParseSyncAssignment(assignment []byte) (map[string][]int32, error) {
	return kgo.ParseConsumerSyncAssignment(assignment)
}

func (b copartitionBalancer) MemberBalancer(members []kmsg.JoinGroupResponseMember) (kgo.GroupMemberBalancer, map[string]struct{}, error) {
	cb, err := kgo.NewConsumerBalancer(b, members)
	if err != nil {
		return nil, nil, err
	}
	return cb, cb.MemberTopics(), nil
}

// Balance deals partition numbers to members. A member gets partition p of
// each topic it subscribes to; with equal partition counts (checked at
// start-up) that is every input topic.
func (copartitionBalancer) Balance(cb *kgo.ConsumerBalancer, topics map[string]int32) kgo.IntoSyncAssignment {
	type member struct {
		join   *kmsg.JoinGroupResponseMember
		topics []string
	}
	var members []member
	cb.EachMember(func(m *kmsg.JoinGroupResponseMember, meta *kmsg.ConsumerMemberMetadata) {
		members = append(members, member{m, meta.Topics})
	})
	sort.Slice(members, func(i, j int) bool { return members[i].join.MemberID < members[j].join.MemberID })

	var partitions int32
	for _, n := range topics {
		partitions = max(partitions, n)
	}

	plan := cb.NewPlan()
	for p := int32(0); p < partitions; p++ {
		m := members[int(p)*len(members)/int(partitions)]
		for _, topic := range m.topics {
			if p < topics[topic] {
				plan.AddPartition(m.join, topic, p)
			}
		}
	}
	return plan
}
