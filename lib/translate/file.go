package translate

import (
	"bytes"
	"encoding/hex"
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
// atomically. A Trainer's Save adds its optimizer state.
func (t *Translator) Save(path string) error {
	return t.save(path, nil, nil)
}

// save writes t with extra tensors and metadata.
func (t *Translator) save(path string, extra []checkpoint.Tensor, more map[string]string) error {
	cfg, err := json.Marshal(t.Config)
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	meta := map[string]string{"kind": Kind, "config": string(cfg),
		"clip": strconv.FormatFloat(t.Model.Clip, 'g', -1, 64)}
	for name, v := range map[string]*data.WordVocab{"src_vocab": t.Src, "tgt_vocab": t.Tgt} {
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("translate: %w", err)
		}
		meta[name] = b.String()
	}
	for name, v := range map[string]*wordpiece.Vocab{"src_pieces": t.SrcPieces, "tgt_pieces": t.TgtPieces} {
		if v == nil {
			continue
		}
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("translate: %w", err)
		}
		meta[name] = b.String()
	}
	for k, v := range more {
		meta[k] = v
	}
	if err := checkpoint.SaveParams(path, t.Model.Params(), extra, meta); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return nil
}

// Save writes the translator and the training state: the optimizer's
// moments, the step and the smoothed loss, for Restore.
func (tr *Trainer) Save(path string) error {
	var extra []checkpoint.Tensor
	for _, p := range tr.Opt.State() {
		extra = append(extra, checkpoint.FromDense(p.Name, p.Value))
	}
	state, err := tr.T.Model.RandState()
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	return tr.T.save(path, extra, map[string]string{
		"step":        strconv.Itoa(tr.Step),
		"smooth_loss": strconv.FormatFloat(tr.SmoothLoss, 'g', -1, 64),
		"rand_state":  hex.EncodeToString(state),
	})
}

// Load reads a translator saved by Save or Trainer.Save.
func Load(path string) (*Translator, error) {
	t, _, err := Open(path)
	return t, err
}

// Open reads a translator and returns the file too, for Trainer.Restore.
func Open(path string) (*Translator, *checkpoint.File, error) {
	f, err := checkpoint.Read(path)
	if err != nil {
		return nil, nil, err
	}
	if err := f.Require("kind", Kind); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	t := &Translator{}
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &t.Config); err != nil {
		return nil, nil, fmt.Errorf("%s: metadata \"config\": %w", path, err)
	}
	for name, v := range map[string]**data.WordVocab{"src_vocab": &t.Src, "tgt_vocab": &t.Tgt} {
		if *v, err = data.ReadWordVocab(strings.NewReader(f.Metadata[name]), path+": "+name); err != nil {
			return nil, nil, err
		}
	}
	if t.Config.Level == "wordpiece" {
		for name, v := range map[string]**wordpiece.Vocab{"src_pieces": &t.SrcPieces, "tgt_pieces": &t.TgtPieces} {
			if *v, err = wordpiece.ReadVocab(strings.NewReader(f.Metadata[name]), path+": "+name, wordpiece.GNMT); err != nil {
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
	if err := checkpoint.LoadParams(f, t.Model.Params()); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if c, ok := f.Metadata["clip"]; ok { // absent: a model trained without quantization-aware clipping
		clip, err := strconv.ParseFloat(c, 64)
		if err != nil || clip < 0 {
			return nil, nil, fmt.Errorf("%s: metadata \"clip\" %q: want a bound ≥ 0", path, c)
		}
		t.Model.SetClip(clip)
	}
	return t, f, nil
}

// Restore continues the training saved in f (by Trainer.Save): optimizer
// state, step, smoothed loss and the model's generator, so that the
// training goes on exactly as if it had never stopped.
func (tr *Trainer) Restore(f *checkpoint.File) error {
	if err := checkpoint.LoadParams(f, tr.Opt.State()); err != nil {
		return fmt.Errorf("translate: optimizer state: %w", err)
	}
	step, err := strconv.Atoi(f.Metadata["step"])
	if err != nil || step < 0 {
		return fmt.Errorf("translate: metadata \"step\" %q: want a count", f.Metadata["step"])
	}
	if tr.SmoothLoss, err = strconv.ParseFloat(f.Metadata["smooth_loss"], 64); err != nil {
		return fmt.Errorf("translate: metadata \"smooth_loss\": %w", err)
	}
	state, err := hex.DecodeString(f.Metadata["rand_state"])
	if err != nil {
		return fmt.Errorf("translate: metadata \"rand_state\": %w", err)
	}
	if err := tr.T.Model.SetRandState(state); err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	tr.Step = step
	return nil
}
