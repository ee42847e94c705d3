package pricing

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkDocument walks the YAML node tree of a policy against the document
// types (policyDoc and the types it contains) and reports unknown keys,
// duplicate keys and values of the wrong kind, each with its field path and
// line. The YAML decoder finds the same mistakes but names Go types and no
// path, and stops at the first unknown key of a mapping.
//
// checkDocument also repairs the tree so that the decoder keeps every list
// index: it replaces a value of the wrong kind with an empty value of the
// right kind, and keeps only the first of a key written twice. Without
// that, the decoder drops the list item or map entry that holds the value,
// and the validator would report later items at the wrong index. A value
// reported here is marked, so the validator's later problems about the same
// field (such as "missing" after a misspelt key) are dropped.
func checkDocument(root *yaml.Node, ps *problems) {
	c := &docChecker{ps: ps}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return
		}
		if r := c.check(root.Content[0], reflect.TypeFor[policyDoc](), ""); r != nil {
			root.Content[0] = r
		}
	}
	for _, path := range c.reported {
		ps.markReported(path)
	}
}

type docChecker struct {
	ps *problems
	// reported are the paths to mark in ps when the walk ends.
	reported []string
}

// check reports the problems of node n, which the decoder fills into a
// value of type t at path. It returns the node to decode in n's place when
// n cannot be decoded into t, and nil to keep n.
func (c *docChecker) check(n *yaml.Node, t reflect.Type, path string) *yaml.Node {
	n = resolveAlias(n)
	if n.ShortTag() == "!!null" {
		return nil // the decoder leaves the zero value, which the validator checks
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	ok := true
	switch t.Kind() {
	case reflect.Struct:
		ok = c.checkStruct(n, t, path)
	case reflect.Map:
		ok = c.checkMap(n, t, path)
	case reflect.Slice:
		ok = c.checkList(n, t, path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			c.report(n, path, "expected a single value, found %s; write one value", describeNode(n))
			ok = false
		}
	case reflect.Int:
		ok = c.checkInt(n, path)
	}
	if ok {
		return nil
	}
	return emptyNode(t)
}

func (c *docChecker) report(n *yaml.Node, path, format string, args ...any) {
	c.ps.addLine(n.Line, path, format, args...)
	c.reported = append(c.reported, path)
}

// emptyNode returns a node that the decoder reads into the zero value of t
// without an error.
func emptyNode(t reflect.Type) *yaml.Node {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	case reflect.Slice:
		return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	case reflect.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "0"}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str"}
}

// checkStruct checks a mapping whose keys must be the yaml tags of t. It
// returns false when n is not a mapping.
func (c *docChecker) checkStruct(n *yaml.Node, t reflect.Type, path string) bool {
	fields := docFields(t)
	if n.Kind != yaml.MappingNode {
		keys := make([]string, 0, 3)
		for _, f := range fields[:min(3, len(fields))] {
			keys = append(keys, f.key)
		}
		c.report(n, path, "expected key: value pairs with keys such as %s, found %s", strings.Join(keys, ", "), describeNode(n))
		return false
	}
	c.dropDuplicates(n, path)

	present := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		present[resolveAlias(n.Content[i]).Value] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := resolveAlias(n.Content[i]), n.Content[i+1]
		if isMergeKey(key) {
			c.checkMerge(value, t, path)
			continue
		}
		if key.Kind != yaml.ScalarNode {
			c.report(key, path, "found %s as a key; write a plain name", describeNode(key))
			continue
		}
		f, ok := findField(fields, key.Value)
		if !ok {
			c.reportUnknownKey(key, fields, path, present)
			continue
		}
		if r := c.check(value, f.typ, joinPath(path, key.Value)); r != nil {
			n.Content[i+1] = r
		}
	}
	return true
}

// reportUnknownKey reports a key that t lacks, suggesting the closest known
// key. The suggested field is marked too when the mapping lacks it, because
// the validator would report it missing for the same mistake.
func (c *docChecker) reportUnknownKey(key *yaml.Node, fields []docField, path string, present map[string]bool) {
	known := make([]string, len(fields))
	for i, f := range fields {
		known[i] = f.key
	}
	at := joinPath(path, key.Value)
	suggestion := closestKey(key.Value, known)
	if suggestion == "" {
		c.report(key, at, "unknown key; use one of %s, or remove it", strings.Join(known, ", "))
		return
	}
	c.report(key, at, "unknown key; did you mean %s?", suggestion)
	if !present[suggestion] {
		c.reported = append(c.reported, joinPath(path, suggestion))
	}
}

// checkMerge checks the value of a "<<" merge key, which must be a mapping
// or a list of mappings merged into the mapping at path.
func (c *docChecker) checkMerge(value *yaml.Node, t reflect.Type, path string) {
	value = resolveAlias(value)
	if value.Kind != yaml.SequenceNode {
		c.check(value, t, path)
		return
	}
	for _, item := range value.Content {
		c.check(item, t, path)
	}
}

// checkMap checks a mapping with free keys, such as cabins or
// exchange_rates, whose values are of t's element type. It returns false
// when n is not a mapping.
func (c *docChecker) checkMap(n *yaml.Node, t reflect.Type, path string) bool {
	if n.Kind != yaml.MappingNode {
		c.report(n, path, "expected key: value pairs, found %s; write them as {key: value} or one key: value per line", describeNode(n))
		return false
	}
	c.dropDuplicates(n, path)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := resolveAlias(n.Content[i]), n.Content[i+1]
		switch {
		case isMergeKey(key):
			c.checkMerge(value, t, path)
		case key.Kind != yaml.ScalarNode:
			c.report(key, path, "found %s as a key; write a plain name", describeNode(key))
		default:
			if r := c.check(value, t.Elem(), joinPath(path, key.Value)); r != nil {
				n.Content[i+1] = r
			}
		}
	}
	return true
}

// dropDuplicates reports a key written twice in one mapping and removes the
// later pair, because the decoder rejects the whole mapping otherwise.
func (c *docChecker) dropDuplicates(n *yaml.Node, path string) {
	first := make(map[string]int, len(n.Content)/2)
	unique := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := resolveAlias(n.Content[i])
		if key.Kind == yaml.ScalarNode && !isMergeKey(key) {
			if line, seen := first[key.Value]; seen {
				c.report(key, joinPath(path, key.Value), "key written twice (lines %d and %d); keep one", line, key.Line)
				continue
			}
			first[key.Value] = key.Line
		}
		unique = append(unique, n.Content[i], n.Content[i+1])
	}
	n.Content = unique
}

// checkList checks a list and each of its items. It returns false when n
// is not a list.
func (c *docChecker) checkList(n *yaml.Node, t reflect.Type, path string) bool {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if r := c.check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); r != nil {
				n.Content[i] = r
			}
		}
		return true
	case yaml.ScalarNode:
		c.report(n, path, "expected a list, found %s; write it as [%s]", describeNode(n), n.Value)
	default:
		c.report(n, path, "expected a list, found %s; write the items as [a, b] or one per line starting with \"- \"", describeNode(n))
	}
	return false
}

// checkInt accepts what the decoder reads into an int without loss: a YAML
// integer, or a float with no fractional part. It returns false otherwise.
func (c *docChecker) checkInt(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode {
		c.report(n, path, "expected a whole number, found %s", describeNode(n))
		return false
	}
	switch n.ShortTag() {
	case "!!int":
		var v int
		if n.Decode(&v) == nil {
			return true
		}
		c.report(n, path, "%s is too large for a whole number", n.Value)
		return false
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
			return true
		}
	case "!!str":
		if _, err := strconv.Atoi(n.Value); err == nil {
			c.report(n, path, "%q is quoted text; write the whole number %s without quotes", n.Value, n.Value)
			return false
		}
	}
	c.report(n, path, "%s is not a whole number; write one such as 10", describeNode(n))
	return false
}

// docField is one key that a document type accepts.
type docField struct {
	key string
	typ reflect.Type
}

// docFields lists the keys of struct type t, taken from the yaml tags as
// the decoder reads them: an inline field contributes its own keys, and an
// untagged field is its lower-cased name. The type's own keys come first in
// declaration order, then the inline ones, so a cabin lists ladder, floor
// and ceiling before the settings it shares with defaults.
func docFields(t reflect.Type) []docField {
	var own, inline []docField
	for i := range t.NumField() {
		f := t.Field(i)
		name, options, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if strings.Contains(options, "inline") {
			inline = append(inline, docFields(f.Type)...)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		own = append(own, docField{key: name, typ: f.Type})
	}
	return append(own, inline...)
}

func findField(fields []docField, key string) (docField, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return docField{}, false
}

// closestKey returns the known key nearest to key, or "" when none is
// close. Close means an edit distance (insertions, deletions, substitutions
// and swaps of neighbours) of at most 2, and at most half the known key's
// length, so a short key such as "to" is not suggested for any two letters.
// Ties go to the key declared first.
func closestKey(key string, known []string) string {
	best, bestDistance := "", 3
	lower := strings.ToLower(key)
	for _, k := range known {
		d := editDistance(lower, k)
		if d < bestDistance && d <= len(k)/2 {
			best, bestDistance = k, d
		}
	}
	return best
}

// editDistance returns the optimal string alignment distance between a and
// b: the Levenshtein distance where swapping two neighbouring characters
// also costs 1, so "qoute" is 1 from "quote".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between the first i runes of a and the first
	// j runes of b.
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// describeNode names what a node is, in the words of the messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "key: value pairs"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// resolveAlias returns the node an alias (*name) points to, or n itself.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isMergeKey(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" && n.ShortTag() == "!!merge"
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decoderMessage matches a YAML decoder type error: "line 9: field x not
// found in type pricing.settingsDoc" or "line 4: cannot unmarshal !!str
// `ten` into int".
var decoderMessage = regexp.MustCompile("^line ([0-9]+): (?:field (.+) not found in type .*|field (.+) already set in type .*|cannot unmarshal (?:!![a-z]+ )?(`[^`]*`)?.* into .*|(.*))$")

// decoderProblem turns a YAML decoder type error into a problem without Go
// type names. checkDocument reports these mistakes with a field path first,
// so this is used only for a decoder error on a line it did not report.
func decoderProblem(message string) Problem {
	m := decoderMessage.FindStringSubmatch(message)
	if m == nil {
		return Problem{Message: message}
	}
	line, _ := strconv.Atoi(m[1])
	p := Problem{Line: line}
	switch {
	case m[2] != "":
		p.Message = fmt.Sprintf("unknown key %s; check its spelling or remove it", m[2])
	case m[3] != "":
		p.Message = fmt.Sprintf("key %s written twice; keep one", m[3])
	case m[5] != "":
		p.Message = m[5]
	case m[4] != "":
		p.Message = fmt.Sprintf("value %s has the wrong kind for this key; see docs/PRICING.md for the expected form", m[4])
	default:
		p.Message = "a value has the wrong kind for its key; see docs/PRICING.md for the expected form"
	}
	return p
}
