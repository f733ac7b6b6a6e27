package smartreply

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Accuracy is how often a model's first suggestion is the reply that was
// given: per response, and per dialog (every reply of the dialog right),
// the two measures of Bordes, Boureau & Weston (2017), "Learning
// End-to-End Goal-Oriented Dialog", ICLR, Table 2. Their end-to-end memory
// network (without match-type features) scores, per response (per dialog)
// on the official test sets of tasks 1–6, as we read that table:
//
//	task    1            2          3           4           5             6
//	MemN2N  99.9 (99.6)  100 (100)  74.9 (2.0)  59.5 (3.0)  96.1 (49.4)  41.1 (0.0)
type Accuracy struct {
	Responses, RightResponses int
	Dialogs, RightDialogs     int
}

// PerResponse returns the share of replies ranked first, in percent.
func (a Accuracy) PerResponse() float64 { return pct(a.RightResponses, a.Responses) }

// PerDialog returns the share of dialogs with every reply ranked first, in
// percent.
func (a Accuracy) PerDialog() float64 { return pct(a.RightDialogs, a.Dialogs) }

func pct(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(k) / float64(n)
}

// Accuracy ranks the response set for every example (Rank with opt; no
// trigger, no diversity) and counts the examples whose reply comes first,
// on workers goroutines (0: GOMAXPROCS).
func (m *Model) Accuracy(exs []Example, opt SuggestOptions, workers int) (Accuracy, error) {
	right := make([]bool, len(exs))
	err := parallel(len(exs), workers, func(i int) error {
		hits, err := m.Rank(m.Message(exs[i].Context), opt)
		right[i] = err == nil && len(hits) > 0 && m.Responses[hits[0].Response].Text == exs[i].Reply
		return err
	})
	var a Accuracy
	wrong := map[int]bool{}
	dialogs := map[int]bool{}
	for i, ex := range exs {
		a.Responses++
		dialogs[ex.Dialog] = true
		if right[i] {
			a.RightResponses++
		} else {
			wrong[ex.Dialog] = true
		}
	}
	a.Dialogs, a.RightDialogs = len(dialogs), len(dialogs)-len(wrong)
	return a, err
}

// parallel calls f(0) … f(n−1) on workers goroutines (0: GOMAXPROCS) and
// returns the first error.
func parallel(n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	next := 0
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := first != nil
				mu.Unlock()
				if i >= n || stop {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// ScoreFunc scores candidate replies for a conversation: higher is better.
type ScoreFunc func(history []Turn, candidates []string) []float64

// LSTMScores scores candidates by the scorer's log P(reply | context) per
// reply token (EOS counted), so that long and short replies compare.
func (m *Model) LSTMScores(history []Turn, candidates []string) []float64 {
	replies := make([][]int, len(candidates))
	for i, c := range candidates {
		replies[i] = m.scorerReplyIDs(c)
	}
	lp := m.LogProbs(m.Message(history), replies)
	for i := range lp {
		lp[i] /= float64(len(replies[i]) + 1)
	}
	return lp
}

// DualScores scores candidates by the dual encoder's dot product. It
// panics without a dual encoder.
func (m *Model) DualScores(history []Turn, candidates []string) []float64 {
	replies := make([][]int, len(candidates))
	for i, c := range candidates {
		replies[i] = m.ReplyIDs(c)
	}
	q := m.MessageVectors([][]int{m.ContextIDs(history)})
	var s mat.Dense
	s.Mul(q, m.ReplyVectors(replies).T())
	return mat.Row(nil, 0, &s)
}

// Recall is how often the true reply is among the k best of a pool of
// candidates: the true one and Pool−1 replies of other examples.
type Recall struct {
	At1, At3 float64 // percent
	N        int     // examples ranked
	Pool     int     // candidates per example
}

// RecallAtK ranks, for every example, its reply among pool−1 replies of
// other examples drawn at random (Henderson et al. 2017's 1-of-100
// ranking with pool 100; distinct texts, none equal to the true reply),
// and returns recall@1 and recall@3: how often the true reply comes first,
// and among the first three. Ties count against the true reply. The draws
// come from seed; score is called on workers goroutines (0: GOMAXPROCS).
func RecallAtK(exs []Example, score ScoreFunc, pool int, seed uint64, workers int) Recall {
	rng := rand.New(rand.NewPCG(seed, 2))
	var distinct []string
	seen := map[string]bool{}
	for _, ex := range exs {
		if !seen[ex.Reply] {
			seen[ex.Reply] = true
			distinct = append(distinct, ex.Reply)
		}
	}
	pool = min(pool, len(distinct))
	cands := make([][]string, len(exs))
	for i, ex := range exs {
		c := []string{ex.Reply}
		for len(c) < pool {
			r := distinct[rng.IntN(len(distinct))]
			if r != ex.Reply && !contains(c, r) {
				c = append(c, r)
			}
		}
		cands[i] = c
	}
	rank := make([]int, len(exs))
	parallel(len(exs), workers, func(i int) error {
		s := score(exs[i].Context, cands[i])
		for _, v := range s[1:] {
			if v >= s[0] || math.IsNaN(s[0]) {
				rank[i]++
			}
		}
		return nil
	})
	r := Recall{N: len(exs), Pool: pool}
	for _, k := range rank {
		if k < 1 {
			r.At1++
		}
		if k < 3 {
			r.At3++
		}
	}
	if r.N > 0 {
		r.At1, r.At3 = 100*r.At1/float64(r.N), 100*r.At3/float64(r.N)
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TFIDF is the baseline ranker: a candidate's score is the cosine of its
// TF-IDF vector with the message's, idf_w = log(N / df_w) over the N
// documents it was fitted on (+1 smoothing: log((1+N)/(1+df_w)) + 1, as
// scikit-learn's TfidfVectorizer).
type TFIDF struct {
	Tokenizer    string
	ContextTurns int // the turns of a conversation that make the message (as Config.ContextTurns)
	idf          map[string]float64
	n            int
}

// NewTFIDF fits the document frequencies on docs.
func NewTFIDF(tokenizer string, contextTurns int, docs []string) *TFIDF {
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, w := range Tokenize(tokenizer, d) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	t := &TFIDF{Tokenizer: tokenizer, ContextTurns: contextTurns, idf: map[string]float64{}, n: len(docs)}
	for w, k := range df {
		t.idf[w] = math.Log(float64(1+t.n)/float64(1+k)) + 1
	}
	return t
}

// vector returns the unit TF-IDF vector of a token list.
func (t *TFIDF) vector(tokens []string) map[string]float64 {
	v := map[string]float64{}
	for _, w := range tokens {
		idf, ok := t.idf[w]
		if !ok {
			idf = math.Log(float64(1+t.n)) + 1 // unseen: df = 0
		}
		v[w] += idf
	}
	norm := 0.0
	for _, x := range v {
		norm += x * x
	}
	for w := range v {
		v[w] /= math.Sqrt(norm)
	}
	return v
}

// Scores is TF-IDF's ScoreFunc: the cosine of each candidate with the
// message, the text of the conversation's last ContextTurns turns (all
// when 0) without their marks.
func (t *TFIDF) Scores(history []Turn, candidates []string) []float64 {
	var msg []string
	for _, w := range Context(t.Tokenizer, history, t.ContextTurns, 0) {
		if w != Them && w != Me && w != KB {
			msg = append(msg, w)
		}
	}
	q := t.vector(msg)
	out := make([]float64, len(candidates))
	for i, c := range candidates {
		for w, x := range t.vector(Tokenize(t.Tokenizer, c)) {
			out[i] += x * q[w]
		}
	}
	return out
}

// Diversity is how often three suggestions mean three different things.
type Diversity struct {
	Triples        int     // messages with three suggestions
	Distinct       float64 // percent of them from three distinct clusters
	DistinctNoRule float64 // the same for the three best hits, the diversity rule off
}

// Diversity suggests for every example (trigger off) and measures the
// share of triples from three distinct clusters, with the diversity rule
// and without it.
func (m *Model) Diversity(exs []Example, opt SuggestOptions, workers int) (Diversity, error) {
	opt.AlwaysShow = true
	with, without := make([]int, len(exs)), make([]int, len(exs)) // 1: distinct, 0: not, −1: fewer than 3
	err := parallel(len(exs), workers, func(i int) error {
		s, err := m.Suggest(exs[i].Context, opt)
		if err != nil {
			return err
		}
		with[i] = distinct3(s.Top)
		without[i] = distinct3(s.Hits[:min(3, len(s.Hits))])
		return nil
	})
	var d Diversity
	var a, b, nb int
	for i := range exs {
		if with[i] >= 0 {
			d.Triples++
			a += with[i]
		}
		if without[i] >= 0 {
			nb++
			b += without[i]
		}
	}
	d.Distinct, d.DistinctNoRule = pct(a, d.Triples), pct(b, nb)
	return d, err
}

// distinct3 returns 1 when three hits come from three clusters, 0 when
// not, −1 when there are fewer than three.
func distinct3(hits []Hit) int {
	if len(hits) < 3 {
		return -1
	}
	a, b, c := hits[0].Cluster, hits[1].Cluster, hits[2].Cluster
	if a != b && b != c && a != c {
		return 1
	}
	return 0
}
