package wordpiece

import (
	"bytes"
	"sort"
)

// trie is a byte trie over a set of keys, laid out flat for greedy longest
// match: walking the text one byte at a time from a position visits every key
// that starts there, shortest first, so the last key seen is the longest, and
// the walk stops as soon as no key continues. Matching a piece of length k
// costs about k+1 steps, where probing a hash map with every candidate
// length, as BERT's loop does, costs up to the longest piece's length in
// lookups, each hashing its candidate.
//
// Node 0 is the root. The edges of node n are label[first[n]:first[n+1]]
// (sorted) leading to child[first[n]:first[n+1]].
type trie struct {
	first []int32
	label []byte
	child []int32
	id    []int32    // node -> id of the key ending there, or -1
	root  [256]int32 // the root's edges by byte, -1 for none: the widest node
}

// buildTrie returns the trie of keys, keys[i] having id ids[i]. Keys must be
// distinct; the empty key is allowed (it matches with length 0).
func buildTrie(keys []string, ids []int32) trie {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	sorted := make([]string, len(keys))
	for i, k := range order {
		sorted[i] = keys[k]
	}

	// Breadth first: a node is the range of sorted keys that share its prefix
	// of length depth. Children are numbered as they are queued, so each
	// node's edges are contiguous.
	type span struct{ lo, hi, depth int }
	var t trie
	queue := []span{{0, len(sorted), 0}}
	for n := 0; n < len(queue); n++ {
		s := queue[n]
		id := int32(-1)
		if s.lo < s.hi && len(sorted[s.lo]) == s.depth {
			id = ids[order[s.lo]] // the key equal to the prefix sorts first
			s.lo++
		}
		t.id = append(t.id, id)
		t.first = append(t.first, int32(len(t.label)))
		for lo := s.lo; lo < s.hi; {
			c := sorted[lo][s.depth]
			hi := lo + 1
			for hi < s.hi && sorted[hi][s.depth] == c {
				hi++
			}
			t.label = append(t.label, c)
			t.child = append(t.child, int32(len(queue)))
			queue = append(queue, span{lo, hi, s.depth + 1})
			lo = hi
		}
	}
	t.first = append(t.first, int32(len(t.label)))
	for c := range t.root {
		t.root[c] = -1
	}
	for e := t.first[0]; e < t.first[1]; e++ {
		t.root[t.label[e]] = t.child[e]
	}
	return t
}

// longest returns the id and end of the longest key that s[from:] starts
// with, or -1 and from if there is none. The empty key, when present, matches
// with end == from. With fold, the ASCII capitals of s match as lower case.
func (t *trie) longest(s string, from int, fold bool) (id int32, end int) {
	id, end = -1, from
	if len(t.id) == 0 {
		return id, end
	}
	if t.id[0] >= 0 {
		id = t.id[0]
	}
	if from >= len(s) {
		return id, end
	}
	node := t.root[lowerIf(s[from], fold)]
	for i := from + 1; node >= 0; i++ {
		if k := t.id[node]; k >= 0 {
			id, end = k, i
		}
		if i == len(s) {
			break
		}
		lo, hi := t.first[node], t.first[node+1]
		c, next := lowerIf(s[i], fold), int32(-1)
		if hi-lo <= 8 {
			// Most nodes have a few edges: a scan beats a call.
			for e := lo; e < hi; e++ {
				if t.label[e] == c {
					next = t.child[e]
					break
				}
			}
		} else if e := bytes.IndexByte(t.label[lo:hi], c); e >= 0 {
			next = t.child[lo+int32(e)]
		}
		node = next
	}
	return id, end
}

// lowerIf returns c in lower case if fold is set and c is an ASCII capital.
func lowerIf(c byte, fold bool) byte {
	if fold && 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
