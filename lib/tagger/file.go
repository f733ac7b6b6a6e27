package tagger

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
)

// Kind is the model kind recorded in a checkpoint's metadata.
const Kind = "tagger"

// A file of this package is a checkpoint.State of Kind: the weights, the
// configuration (JSON), and in the metadata the word and character
// vocabularies (one entry a line, with training counts, "words" and
// "chars") and the tags of each tagset (one a line, "tags.upos",
// "tags.xpos"). A training checkpoint adds the optimizer, the step and the
// state of the model's generator (dropout and word dropout), from which a
// resumed training draws what one that never stopped would.

// putModel fills s with m: kind, configuration, vocabularies, tags and
// weights.
func (m *Model) putModel(s *checkpoint.State) error {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	var words, chars strings.Builder
	if _, err := m.Words.WriteTo(&words); err != nil {
		return fmt.Errorf("tagger: word vocabulary: %w", err)
	}
	if _, err := m.Chars.WriteTo(&chars); err != nil {
		return fmt.Errorf("tagger: character vocabulary: %w", err)
	}
	s.Kind, s.Config, s.Weights = Kind, string(cfg), m.Params()
	s.Meta = map[string]string{
		"words":   words.String(),
		"chars":   chars.String(),
		"licence": "trained on UD English EWT unless stated otherwise: CC BY-SA 4.0 (see datasets.Source(\"ud-english-ewt\"))",
	}
	for _, h := range m.heads {
		s.Meta["tags."+h.tagset] = strings.Join(h.tags, "\n")
	}
	return nil
}

// Save writes the model alone (weights, configuration, vocabularies, tags)
// to path, atomically: a file to tag with.
func (m *Model) Save(path string) error {
	var s checkpoint.State
	if err := m.putModel(&s); err != nil {
		return err
	}
	if err := s.Write(path); err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	return nil
}

// SaveState adds the model and its generator to a training checkpoint
// (training.Checkpointer; the loop's Save writes it).
func (t *Trainer) SaveState(s *checkpoint.State) error {
	if err := t.M.putModel(s); err != nil {
		return err
	}
	r, err := t.M.RandState()
	if err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	s.Rand = r
	return nil
}

// RestoreState puts the model's generator back (training.Checkpointer;
// the loop's Restore calls it), from a state t's model came from (Open).
// The batches need nothing: they are a function of the step.
func (t *Trainer) RestoreState(s *checkpoint.State) error {
	if err := t.M.SetRandState(s.Rand); err != nil {
		return fmt.Errorf("tagger: the generator's state: %w", err)
	}
	return nil
}

// Load reads a model that Save or a training (Trainer.Save) wrote.
func Load(path string) (*Model, error) {
	m, _, err := Open(path)
	return m, err
}

// Open reads a checkpoint of a tagger once and returns its model, weights
// included, and the state read, from which Trainer.Restore continues a
// training.
func Open(path string) (*Model, *checkpoint.State, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, nil, err
	}
	m, err := modelOf(s)
	if err != nil {
		return nil, nil, fmt.Errorf("tagger: %s: %w", path, err)
	}
	return m, s, nil
}

// modelOf rebuilds the model of a state: configuration, vocabularies,
// tags, weights.
func modelOf(s *checkpoint.State) (*Model, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(s.Config), &cfg); err != nil {
		return nil, fmt.Errorf("metadata \"config\": %w", err)
	}
	words, err := data.ReadWordVocab(strings.NewReader(s.Meta["words"]), "metadata \"words\"")
	if err != nil {
		return nil, err
	}
	chars, err := data.ReadWordVocab(strings.NewReader(s.Meta["chars"]), "metadata \"chars\"")
	if err != nil {
		return nil, err
	}
	var tags [][]string
	for _, ts := range cfg.tagsets() {
		key := "tags." + ts
		list := strings.Split(s.Meta[key], "\n")
		seen := map[string]bool{}
		for _, t := range list {
			if t == "" || seen[t] {
				return nil, fmt.Errorf("metadata %q: an empty or repeated tag %q", key, t)
			}
			seen[t] = true
		}
		if len(list) < 2 {
			return nil, fmt.Errorf("metadata %q: %d tags, want at least 2", key, len(list))
		}
		tags = append(tags, list)
	}
	m, err := build(cfg, words, chars, tags)
	if err != nil {
		return nil, err
	}
	if err := s.LoadParams(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}
