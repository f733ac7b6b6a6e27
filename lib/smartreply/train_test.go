package smartreply

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestResumeIsExact trains 2N steps in one go, and N steps, saves, opens
// and goes on for N more on two workers (the scorer's replicas draw their
// seeds from its saved generator): the weights come out the same, bit for
// bit, and the reopened file suggests.
func TestResumeIsExact(t *testing.T) {
	const n = 12
	whole, _ := toyTrainer(t)
	whole.Workers = 2
	if err := whole.Run(context.Background(), 2*n, nil); err != nil {
		t.Fatal(err)
	}
	half, c := toyTrainer(t)
	half.Workers = 2
	if err := half.Run(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "reply.safetensors")
	if err := half.Save(path); err != nil {
		t.Fatal(err)
	}
	m, s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Suggest(c.Dev[0].Context, SuggestOptions{}); err != nil {
		t.Fatalf("a training checkpoint does not suggest: %v", err)
	}
	tc, err := TrainConfigOf(s)
	if err != nil || tc != toyTrainConfig() {
		t.Fatalf("train config %+v, %v; want %+v", tc, err, toyTrainConfig())
	}
	again, err := NewTrainer(m, c.Train, c.Dev, tc)
	if err != nil {
		t.Fatal(err)
	}
	again.Workers = 2
	if err := again.Restore(s); err != nil {
		t.Fatal(err)
	}
	if again.Step != n {
		t.Fatalf("resumed at step %d, want %d", again.Step, n)
	}
	if err := again.Run(context.Background(), 2*n, nil); err != nil {
		t.Fatal(err)
	}
	want, got := whole.Params(), again.Params()
	for i, p := range want {
		a, b := p.Value.RawMatrix().Data, got[i].Value.RawMatrix().Data
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("%s[%d]: %v in one go, %v resumed", p.Name, j, a[j], b[j])
			}
		}
	}
	if whole.SmoothLoss != again.SmoothLoss {
		t.Errorf("smoothed loss %v in one go, %v resumed", whole.SmoothLoss, again.SmoothLoss)
	}

	// A trainer with another batch size refuses the checkpoint; a model
	// saved without its training cannot be resumed.
	other := tc
	other.Batch = 16
	wrong, err := NewTrainer(m, c.Train, c.Dev, other)
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Restore(s); err == nil || !strings.Contains(err.Error(), "trained with") {
		t.Errorf("restore with another batch size: %v", err)
	}
	plain := filepath.Join(t.TempDir(), "model.safetensors")
	if err := m.Save(plain); err != nil {
		t.Fatal(err)
	}
	_, s2, err := Open(plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TrainConfigOf(s2); err == nil {
		t.Error("a model saved without its training: TrainConfigOf gave no error")
	}
}

// TestValidate: training lowers the validation loss, and the accuracy is
// reported when the response set holds the dev replies (here, after adding
// them), not otherwise.
func TestValidate(t *testing.T) {
	tr, c := toyTrainer(t)
	before := tr.Validate(false)
	if _, ok := before.Value("val_acc"); ok {
		t.Errorf("val_acc without the dev replies in the response set: %v", before)
	}
	if err := tr.Run(context.Background(), 60, nil); err != nil {
		t.Fatal(err)
	}
	after := tr.Validate(true)
	b, _ := before.Value("val_loss")
	a, _ := after.Value("val_loss")
	if !(a < b/2) || !after.Full {
		t.Errorf("val_loss %.3f before training, %.3f after (full %v): want less than half", b, a, after.Full)
	}
	var texts []string
	for _, ex := range append(c.Train, c.Dev...) {
		texts = append(texts, ex.Reply)
	}
	if err := tr.M.SetResponses(GivenResponses(texts), true); err != nil {
		t.Fatal(err)
	}
	if acc, ok := tr.Validate(false).Value("val_acc"); !ok || acc < 30 {
		t.Errorf("val_acc %.1f (reported %v), want ≥ 30", acc, ok)
	}
}
