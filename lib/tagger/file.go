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

// Metadata returns what a checkpoint needs besides the weights to rebuild
// the model: the kind, the configuration (JSON), the word and character
// vocabularies (one entry a line, with training counts) and the tags of
// each tagset (one a line, "tags.upos", "tags.xpos").
func (m *Model) Metadata() (map[string]string, error) {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	var words, chars strings.Builder
	if _, err := m.Words.WriteTo(&words); err != nil {
		return nil, fmt.Errorf("tagger: word vocabulary: %w", err)
	}
	if _, err := m.Chars.WriteTo(&chars); err != nil {
		return nil, fmt.Errorf("tagger: character vocabulary: %w", err)
	}
	meta := map[string]string{
		"kind":    Kind,
		"config":  string(cfg),
		"words":   words.String(),
		"chars":   chars.String(),
		"licence": "trained on UD English EWT unless stated otherwise: CC BY-SA 4.0 (see datasets.Source(\"ud-english-ewt\"))",
	}
	for _, h := range m.heads {
		meta["tags."+h.tagset] = strings.Join(h.tags, "\n")
	}
	return meta, nil
}

// Save writes the model (weights, configuration, vocabularies, tags) to
// path as one safetensors file, atomically.
func (m *Model) Save(path string) error {
	meta, err := m.Metadata()
	if err != nil {
		return err
	}
	if err := checkpoint.SaveParams(path, m.Params(), nil, meta); err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	return nil
}

// Load reads a model written by Save (or any checkpoint of kind "tagger"
// whose tensors include the model's).
func Load(path string) (*Model, error) {
	f, err := checkpoint.Read(path)
	if err != nil {
		return nil, err
	}
	m, err := FromFile(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// FromFile rebuilds a model from a checkpoint's metadata and tensors.
func FromFile(f *checkpoint.File) (*Model, error) {
	if err := f.Require("kind", Kind); err != nil {
		return nil, err
	}
	var cfg Config
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &cfg); err != nil {
		return nil, fmt.Errorf("tagger: metadata \"config\": %w", err)
	}
	words, err := data.ReadWordVocab(strings.NewReader(f.Metadata["words"]), "metadata \"words\"")
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	chars, err := data.ReadWordVocab(strings.NewReader(f.Metadata["chars"]), "metadata \"chars\"")
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	var tags [][]string
	for _, ts := range cfg.tagsets() {
		key := "tags." + ts
		list := strings.Split(f.Metadata[key], "\n")
		seen := map[string]bool{}
		for _, t := range list {
			if t == "" || seen[t] {
				return nil, fmt.Errorf("tagger: metadata %q: an empty or repeated tag %q", key, t)
			}
			seen[t] = true
		}
		if len(list) < 2 {
			return nil, fmt.Errorf("tagger: metadata %q: %d tags, want at least 2", key, len(list))
		}
		tags = append(tags, list)
	}
	m, err := build(cfg, words, chars, tags)
	if err != nil {
		return nil, err
	}
	if err := checkpoint.LoadParams(f, m.Params()); err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	return m, nil
}
