package translate

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"github.com/seq2go/seq2go/lib/tasks"
	"github.com/seq2go/seq2go/lib/training"
	"gonum.org/v1/gonum/mat"
)

// TestDates trains the date model and checks exact match on dates it has
// not seen: the bar is 99 %.
func TestDates(t *testing.T) {
	cfg := DatesConfig()
	train, _, err := cfg.Data.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(cfg, train)
	if err != nil {
		t.Fatal(err)
	}
	trn, err := NewTrainer(tr, train)
	if err != nil {
		t.Fatal(err)
	}
	if err := trn.Run(context.Background(), 700, nil); err != nil {
		t.Fatal(err)
	}
	test := tasks.Dates(rand.New(rand.NewPCG(99, 99)), 500)
	lines := make([]string, len(test))
	for i, p := range test {
		lines[i] = p.Src
	}
	ok := 0
	for i, r := range tr.TranslateAll(lines, seq2seq.BeamOptions{}, 100) {
		if r.Text == test[i].Tgt {
			ok++
		} else {
			t.Logf("%q → %q, want %q", test[i].Src, r.Text, test[i].Tgt)
		}
	}
	t.Logf("loss %.4f, %d of %d exact", trn.SmoothLoss, ok, len(test))
	if ok < 495 {
		t.Errorf("%d of %d dates exact, want ≥ 99 %%", ok, len(test))
	}
}

// tiny returns a small word-level translator and its training pairs.
func tiny(t *testing.T, dropout float64) (*Translator, []data.Pair) {
	pairs := []data.Pair{
		{Src: "ik ben Tom.", Tgt: "I'm Tom."}, {Src: "Hij is hier!", Tgt: "He is here!"},
		{Src: "ik ben hier.", Tgt: "I'm here."}, {Src: "Tom is moe.", Tgt: "Tom is tired."},
	}
	cfg := DefaultConfig()
	cfg.Embed, cfg.Hidden, cfg.Dropout, cfg.Batch, cfg.MinCount = 8, 12, dropout, 2, 1
	tr, err := New(cfg, pairs)
	if err != nil {
		t.Fatal(err)
	}
	return tr, pairs
}

// TestResumeExact: 4 steps, save, open, restore, 4 more steps gives the
// weights of 8 steps in one go, bit for bit, dropout included — on one
// model, and with each batch shared out among two replicas.
func TestResumeExact(t *testing.T) {
	dates := func(t *testing.T, dropout float64) (*Translator, []data.Pair) {
		cfg := DatesConfig()
		cfg.Hidden, cfg.Embed, cfg.Dropout, cfg.Batch = 16, 8, dropout, 2*seq2seq.MinShare
		pairs := tasks.Dates(rand.New(rand.NewPCG(3, 3)), 4*seq2seq.MinShare)
		tr, err := New(cfg, pairs)
		if err != nil {
			t.Fatal(err)
		}
		return tr, pairs
	}
	for _, c := range []struct {
		name    string
		make    func(*testing.T, float64) (*Translator, []data.Pair)
		workers int
	}{{"one model", tiny, 1}, {"two replicas", dates, 2}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.safetensors")
			run := func(tr *Translator, pairs []data.Pair, from *checkpoint.State, steps int) *Trainer {
				trn, err := NewTrainer(tr, pairs)
				if err != nil {
					t.Fatal(err)
				}
				trn.Workers = c.workers
				if from != nil {
					if err := trn.Restore(from); err != nil {
						t.Fatal(err)
					}
				}
				if err := trn.Run(context.Background(), steps, nil); err != nil {
					t.Fatal(err)
				}
				return trn
			}
			whole, pairs := c.make(t, 0.3)
			run(whole, pairs, nil, 8)
			half, _ := c.make(t, 0.3)
			if err := run(half, pairs, nil, 4).Save(path); err != nil {
				t.Fatal(err)
			}
			resumed, f, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if trn := run(resumed, pairs, f, 8); trn.Step != 8 {
				t.Fatalf("step %d after resuming, want 8", trn.Step)
			}
			for i, p := range whole.Model.Params() {
				if q := resumed.Model.Params()[i]; !mat.Equal(p.Value, q.Value) {
					t.Fatalf("%s differs after resuming", p.Name)
				}
			}
		})
	}
}

// TestSaveLoad: a loaded translator has the same settings, vocabularies
// and translations.
func TestSaveLoad(t *testing.T) {
	tr, _ := tiny(t, 0)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Config, tr.Config) || !reflect.DeepEqual(got.Src.Words(), tr.Src.Words()) ||
		!reflect.DeepEqual(got.Tgt.Words(), tr.Tgt.Words()) {
		t.Fatal("config or vocabularies differ after Load")
	}
	a, b := tr.Translate("ik ben Tom", seq2seq.BeamOptions{}), got.Translate("ik ben Tom", seq2seq.BeamOptions{})
	if a.Text != b.Text {
		t.Errorf("translations differ: %q and %q", a.Text, b.Text)
	}
	// A checkpoint of another kind is refused with the file's name.
	other := filepath.Join(t.TempDir(), "other.safetensors")
	if err := checkpoint.SaveParams(other, tr.Model.Params(), nil, map[string]string{"kind": "charrnn"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(other); err == nil || !strings.Contains(err.Error(), other) {
		t.Errorf("Load of a charrnn checkpoint: %v", err)
	}
}

// TestTranslateBadInput: empty lines stay empty, unknown words and invalid
// UTF-8 are translated, a line of 10,000 words gets ErrTooLong, and every
// line gets exactly one result.
func TestTranslateBadInput(t *testing.T) {
	tr, _ := tiny(t, 0)
	lines := []string{"", "ik ben Zorglub.", strings.Repeat("woord ", 10000), "ik \xff\xfe ben", "   "}
	res := tr.TranslateAll(lines, seq2seq.BeamOptions{Width: 2}, 2)
	if len(res) != len(lines) {
		t.Fatalf("%d results for %d lines", len(res), len(lines))
	}
	if res[0].Text != "" || res[0].Err != nil || res[4].Text != "" {
		t.Errorf("empty lines: %+v, %+v", res[0], res[4])
	}
	if !errors.Is(res[2].Err, ErrTooLong) || res[2].Text != "" {
		t.Errorf("long line: err %v, text %q", res[2].Err, res[2].Text)
	}
	for _, i := range []int{1, 3} {
		if res[i].Err != nil || len(res[i].Translation.Attention) != len(res[i].Tokens) {
			t.Errorf("line %d: %+v", i, res[i])
		}
	}
	if h := res[1].AttentionPlot(); h == nil {
		t.Error("no attention plot")
	}
}

func TestDetokenize(t *testing.T) {
	w := &Translator{Config: Config{Level: "word"}}
	c := &Translator{Config: Config{Level: "char"}}
	for _, tc := range []struct {
		t    *Translator
		in   string
		want string
	}{
		{w, "I ' m Tom .", "I'm Tom."},
		{w, "Don ' t go , please !", "Don't go, please!"},
		{w, "He said ( twice ) : no", "He said (twice): no"},
		{c, "2 0 2 6 - 1 1 ▁ x", "2026-11 x"},
	} {
		if got := tc.t.Detokenize(strings.Fields(tc.in)); got != tc.want {
			t.Errorf("Detokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestUnknownWordCopied: an <unk> in the output becomes the source word
// with the most attention.
func TestUnknownWordCopied(t *testing.T) {
	tr, _ := tiny(t, 0)
	r := Result{Source: []string{"ik", "ben", "Zorglub", "."}}
	tr.finish(&r, seq2seq.Translation{
		Tokens:    []int{tr.Tgt.ID("Tom"), data.UnkID, tr.Tgt.ID(".")},
		Attention: [][]float64{{0.7, 0.2, 0.1, 0}, {0.1, 0.1, 0.8, 0}, {0, 0, 0.1, 0.9}},
	})
	if r.Text != "Tom Zorglub." {
		t.Errorf("text %q, want Zorglub copied", r.Text)
	}
	if r.Tokens[1] != "Zorglub" {
		t.Errorf("tokens %q", r.Tokens)
	}
}

// TestQuantAware: a quantization-aware run ends with the bound δ = 1,
// which the checkpoint keeps for decoding.
func TestQuantAware(t *testing.T) {
	tr, pairs := tiny(t, 0)
	tr.Config.QuantAware = true
	tr.Config.Residual = 1
	trn, err := NewTrainer(tr, pairs)
	if err != nil {
		t.Fatal(err)
	}
	var seen []float64
	if err := trn.Run(context.Background(), 4, func(training.Progress) { seen = append(seen, tr.Model.Clip) }); err != nil {
		t.Fatal(err)
	}
	if want := []float64{8, 6.25, 4.5, 2.75}; !reflect.DeepEqual(seen, want) || tr.Model.Clip != QATEnd {
		t.Errorf("δ during the run %v, after %v; want %v then %v", seen, tr.Model.Clip, want, QATEnd)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Model.Clip != QATEnd || got.Model.Encoder.Clip != QATEnd {
		t.Errorf("loaded clip %v, want %v", got.Model.Clip, QATEnd)
	}
}

// TestWordpieceLevel: at the wordpiece level the tokens are pieces learnt
// from the pairs, text survives tokenising and detokenising, and a saved
// translator tokenises as the original did.
func TestWordpieceLevel(t *testing.T) {
	pairs := []data.Pair{
		{Src: "ik ben Tom.", Tgt: "I'm Tom."}, {Src: "Hij is hier!", Tgt: "He is here!"},
		{Src: "ik ben hier.", Tgt: "I'm here."}, {Src: "Tom is moe.", Tgt: "Tom is tired."},
		{Src: "wij zijn moe.", Tgt: "We're tired."}, {Src: "zij is hier.", Tgt: "She's here."},
	}
	cfg := DefaultConfig()
	cfg.Level, cfg.MaxVocab, cfg.Embed, cfg.Hidden = "wordpiece", 40, 8, 12
	tr, err := New(cfg, pairs)
	if err != nil {
		t.Fatal(err)
	}
	toks := tr.targetTokens("We're here.")
	if !strings.HasPrefix(toks[0], "▁") {
		t.Errorf("target tokens %q are not GNMT wordpieces", toks)
	}
	if got := tr.Detokenize(toks); got != "We're here." {
		t.Errorf("Detokenize(%q) = %q", toks, got)
	}
	path := filepath.Join(t.TempDir(), "wp.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	_, a := tr.sourceTokens("Zij is moe.")
	_, b := got.sourceTokens("Zij is moe.")
	if !reflect.DeepEqual(a, b) || len(a) < 3 {
		t.Errorf("source pieces %q after Load, %q before", b, a)
	}
	if r := got.Translate("zij is moe", seq2seq.BeamOptions{}); r.Err != nil {
		t.Error(r.Err)
	}
}
