package translate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/metrics"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/wordpiece"
)

// Kind is the "kind" metadata of a translator checkpoint.
const Kind = "seq2go/translate"

// metricsBLEU is corpus BLEU with sacreBLEU's defaults.
func metricsBLEU(hyps, refs []string) float64 { return metrics.BLEU(hyps, refs).Score }

// Save writes the translator (weights, vocabularies, config) to path,
// atomically, as a checkpoint.State without a training. A Trainer's Save
// writes the training too.
func (t *Translator) Save(path string) error {
	s := &checkpoint.State{Weights: t.Model.Params()}
	if err := t.describe(s); err != nil {
		return err
	}
	return s.Write(path)
}

// describe fills in what the translator is: its kind, its configuration,
// its vocabularies (and wordpieces) and the clip δ of quantization-aware
// training.
func (t *Translator) describe(s *checkpoint.State) error {
	cfg, err := json.Marshal(t.Config)
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	s.Kind, s.Config = Kind, string(cfg)
	s.Meta = map[string]string{"clip": strconv.FormatFloat(t.Model.Clip, 'g', -1, 64)}
	for name, v := range map[string]*data.WordVocab{"src_vocab": t.Src, "tgt_vocab": t.Tgt} {
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("translate: %w", err)
		}
		s.Meta[name] = b.String()
	}
	for name, v := range map[string]*wordpiece.Vocab{"src_pieces": t.SrcPieces, "tgt_pieces": t.TgtPieces} {
		if v == nil {
			continue
		}
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("translate: %w", err)
		}
		s.Meta[name] = b.String()
	}
	return nil
}

// SaveState adds the translator and the state of the model's generator
// (dropout masks, teacher-forcing draws) to a checkpoint
// (training.Checkpointer; Trainer.Save writes it).
func (tr *Trainer) SaveState(s *checkpoint.State) error {
	if err := tr.T.describe(s); err != nil {
		return err
	}
	var err error
	if s.Rand, err = tr.T.Model.RandState(); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return nil
}

// Load reads a translator saved by Save or Trainer.Save.
func Load(path string) (*Translator, error) {
	t, _, err := Open(path)
	return t, err
}

// Open reads a translator and returns the state read too, for
// Trainer.Restore.
func Open(path string) (*Translator, *checkpoint.State, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, nil, err
	}
	t := &Translator{}
	if err := json.Unmarshal([]byte(s.Config), &t.Config); err != nil {
		return nil, nil, fmt.Errorf("%s: metadata \"config\": %w", path, err)
	}
	for name, v := range map[string]**data.WordVocab{"src_vocab": &t.Src, "tgt_vocab": &t.Tgt} {
		if *v, err = data.ReadWordVocab(strings.NewReader(s.Meta[name]), path+": "+name); err != nil {
			return nil, nil, err
		}
	}
	if t.Config.Level == "wordpiece" {
		for name, v := range map[string]**wordpiece.Vocab{"src_pieces": &t.SrcPieces, "tgt_pieces": &t.TgtPieces} {
			if *v, err = wordpiece.ReadVocab(strings.NewReader(s.Meta[name]), path+": "+name, wordpiece.GNMT); err != nil {
				return nil, nil, err
			}
		}
	}
	if t.Src.Size() != t.Config.SrcVocab || t.Tgt.Size() != t.Config.TgtVocab {
		return nil, nil, fmt.Errorf("%s: vocabularies of %d and %d words, the config says %d and %d",
			path, t.Src.Size(), t.Tgt.Size(), t.Config.SrcVocab, t.Config.TgtVocab)
	}
	if t.Model, err = seq2seq.NewModel(rand.New(rand.NewPCG(t.Config.Seed, 0)), t.Config.Config); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.LoadParams(t.Model.Params()); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if c, ok := s.Meta["clip"]; ok { // absent: a model trained without quantization-aware clipping
		clip, err := strconv.ParseFloat(c, 64)
		if err != nil || clip < 0 {
			return nil, nil, fmt.Errorf("%s: metadata \"clip\" %q: want a bound ≥ 0", path, c)
		}
		t.Model.SetClip(clip)
	}
	return t, s, nil
}

// RestoreState puts the model's generator back (training.Checkpointer;
// Trainer.Restore calls it), so that the training goes on exactly as if it
// had never stopped: the step fixes the batch, the generator every dropout
// mask.
func (tr *Trainer) RestoreState(s *checkpoint.State) error {
	if s.Rand == nil {
		return fmt.Errorf("translate: the checkpoint has no %q: the model's generator cannot be restored", checkpoint.KeyRand)
	}
	if err := tr.T.Model.SetRandState(s.Rand); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return nil
}
