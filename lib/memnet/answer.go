package memnet

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/plot"
)

// Answer is a model's answer to one question, with where it looked.
type Answer struct {
	Text string  // the answer word: "garden", or "apple,milk" for a list
	Prob float64 // the probability the model gives it
	// First is the index in the story's Sentences of the first memory:
	// memory i is Sentences[First+i].
	First int
	// Attention holds, for each hop, the weight of each memory:
	// Attention[k][i] is hop k's weight on memory i. What a hop's weights
	// leave of 1 went to the empty slots of the memory.
	Attention [][]float64
}

// Plot draws the attention as the talk does: the story's sentences in
// memory down the side, the hops along the bottom, each cell a weight, and
// the question and answer above. sentences are the story's Sentences.
func (a Answer) Plot(sentences []string, question string) *plot.HeatMap {
	n := 0
	if len(a.Attention) > 0 {
		n = len(a.Attention[0])
	}
	w := mat.NewDense(max(n, 1), max(len(a.Attention), 1), nil)
	rows, cols := make([]string, max(n, 1)), make([]string, max(len(a.Attention), 1))
	for k, hop := range a.Attention {
		cols[k] = fmt.Sprintf("hop %d", k+1)
		for i, x := range hop {
			w.Set(i, k, x)
		}
	}
	for i := 0; i < n; i++ {
		rows[i] = sentences[a.First+i]
	}
	h := plot.NewHeatMap(w, rows, cols)
	h.Title = fmt.Sprintf("%s → %s", question, a.Text)
	h.Annotate, h.Min, h.Max = true, 0, 1
	h.Height = max(h.Height, 2+0.6*float64(n)) // cm: a line for each sentence
	return h
}

// Answer answers the questions of exs, in batches of 32; each answer carries
// the attention of every hop.
func (m *Model) Answer(exs []Example) []Answer {
	out := make([]Answer, 0, len(exs))
	for lo := 0; lo < len(exs); lo += evalBatch {
		batch := exs[lo:min(lo+evalBatch, len(exs))]
		m.Loss(batch, false)
		probs := m.loss.Probs()
		for r, ex := range batch {
			row := probs.RawRowView(r)
			best := floats.MaxIdx(row)
			a := Answer{Text: m.Vocab.Word(best), Prob: row[best], First: ex.First}
			for k := range m.hops {
				a.Attention = append(a.Attention, append([]float64(nil), m.weights[k].RawRowView(r)[:len(ex.Story)]...))
			}
			out = append(out, a)
		}
	}
	return out
}

// AnswerStory answers the questions of a story, its statements and
// questions read with data.ReadBabi or data.ReadPlainStory.
func (m *Model) AnswerStory(story data.BabiStory) []Answer {
	return m.Answer(m.Examples([]data.BabiStory{story}, 0))
}

// evalBatch is the batch size of Answer and Evaluate.
const evalBatch = 32

// Score is how a model did on a set of questions.
type Score struct {
	Questions int     // questions scored
	Errors    int     // of them, answered wrongly
	Loss      float64 // the summed cross-entropy of their answers
}

// ErrorRate returns Errors/Questions (0 for no questions).
func (s Score) ErrorRate() float64 { return float64(s.Errors) / float64(max(s.Questions, 1)) }

// MeanLoss returns Loss/Questions (0 for no questions).
func (s Score) MeanLoss() float64 { return s.Loss / float64(max(s.Questions, 1)) }

// Evaluate runs the model on exs without random noise and returns its
// score. A question whose answer is not in the vocabulary counts as an
// error and adds no loss.
func (m *Model) Evaluate(exs []Example) Score {
	var s Score
	for lo := 0; lo < len(exs); lo += evalBatch {
		batch := exs[lo:min(lo+evalBatch, len(exs))]
		s.Loss += m.Loss(batch, false)
		probs := m.loss.Probs()
		for r, ex := range batch {
			s.Questions++
			if ex.Answer < 0 || floats.MaxIdx(probs.RawRowView(r)) != ex.Answer {
				s.Errors++
			}
		}
	}
	return s
}
