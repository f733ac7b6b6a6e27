package translate

import (
	"context"
	"errors"
	"fmt"
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

// TestDates trains the date model briefly and checks exact match on dates
// written only in the held-out formats, which it never saw: a floor for a
// short run (`seq2go train dates`, 3,000 steps, reaches 99.9 %; see the
// README). Every translation is a date that exists or an ErrNotADate.
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
	trn.Workers = 1 // the same arithmetic on any machine
	if err := trn.Run(context.Background(), dateTestSteps, nil); err != nil {
		t.Fatal(err)
	}
	if lr := trn.Opt.LR(); lr != cfg.LREnd {
		t.Errorf("learning rate %g at the last step, want LREnd %g", lr, cfg.LREnd)
	}
	test := cfg.Data.HeldOut()[:300]
	lines := make([]string, len(test))
	for i, p := range test {
		lines[i] = p.Src
	}
	ok := 0
	for i, r := range tr.TranslateAll(lines, seq2seq.BeamOptions{}, 100) {
		checkDateResult(t, r)
		if r.Text == test[i].Tgt {
			ok++
		} else {
			t.Logf("%q → %q, want %q", test[i].Src, r.Text, test[i].Tgt)
		}
	}
	t.Logf("%d steps: loss %.4f, %d of %d exact", dateTestSteps, trn.SmoothLoss, ok, len(test))
	if ok < dateTestFloor {
		t.Errorf("%d of %d held-out dates exact after %d steps, want ≥ %d", ok, len(test), dateTestSteps, dateTestFloor)
	}
}

// dateTestSteps and dateTestFloor: TestDates's short run and the exact
// matches of 300 it must reach. It reached 291 (97 %) on the development
// machine (AMD EPYC); the floor leaves room for other machines' arithmetic.
const (
	dateTestSteps = 400
	dateTestFloor = 275
)

// checkDateResult fails unless r is a date that exists or says it is not.
func checkDateResult(t *testing.T, r Result) {
	t.Helper()
	switch {
	case r.Err == nil && tasks.CheckDate(r.Text) != nil:
		t.Errorf("%q printed as a date: %v", r.Text, tasks.CheckDate(r.Text))
	case r.Err != nil && (!errors.Is(r.Err, ErrNotADate) || r.Text != ""):
		t.Errorf("error %v with text %q", r.Err, r.Text)
	}
}

// TestNotADate: an untrained date model writes strings that are not dates;
// none is printed as one, and the error names the line.
func TestNotADate(t *testing.T) {
	cfg := DatesConfig()
	train := tasks.Dates(rand.New(rand.NewPCG(1, 1)), 200)
	tr, err := New(cfg, train)
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{"9/17/83", "1/4/71", "Sept. 17th, 1983", "17.9.83"}
	rejected := 0
	for i, r := range tr.TranslateAll(lines, seq2seq.BeamOptions{}, 4) {
		checkDateResult(t, r)
		if r.Err != nil {
			rejected++
			if want := fmt.Sprintf("translate: the translation is not a date: %q: tasks: ", lines[i]); !strings.HasPrefix(r.Err.Error(), want) {
				t.Errorf("error %q, want it to start %q", r.Err, want)
			}
		}
	}
	if rejected == 0 {
		t.Error("an untrained model wrote only dates")
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
			// run runs to step 8, interrupted after step stop as Ctrl-C
			// would (the date model's learning rate decays over the 8).
			run := func(tr *Translator, pairs []data.Pair, from *checkpoint.State, stop int) *Trainer {
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
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				err = trn.Run(ctx, 8, func(p training.Progress) {
					if p.Step == stop {
						cancel()
					}
				})
				if err != nil && !errors.Is(err, context.Canceled) {
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
