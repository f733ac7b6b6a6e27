package word2vec

// trainSentence runs one step of stochastic gradient ascent for every word
// of w.sentence, at learning rate alpha. It is the only code that writes
// the shared weights during training, and it does so without locks: the
// goroutines of [Trainer.Run] read and update the same rows at the same
// time (Hogwild, Recht et al. 2011). A lost or torn update is one float of
// one gradient step, which SGD absorbs; word2vec.c, fastText and gensim all
// train this way. It is a data race by design, so the race detector must
// not watch it: the weight rows are only touched through the kernels of
// vec.go, which run in assembly on amd64 (invisible to the detector), and
// the multi-goroutine tests are skipped in -race builds for the Go
// fallback's sake.
//
// For skip-gram, each context word c within the centre word's shrunk
// window predicts the centre word w (word2vec.c's order: the context's
// input row is updated, which sums to the same objective over a corpus):
//
//	negative sampling, targets u = w (label 1) and k noise words (label 0):
//	  g      = α·(label − σ(in_c·out_u))
//	  neu1e += g·out_u
//	  out_u += g·in_c
//	hierarchical softmax, inner nodes n on w's Huffman path, branch b_n:
//	  g      = α·(1 − b_n − σ(in_c·node_n))
//	  neu1e += g·node_n
//	  node_n += g·in_c
//	in_c += neu1e
//
// For CBOW, h = mean of the context rows takes in_c's place, and neu1e is
// added to every context row. σ comes from word2vec.c's table over
// (−6, 6); outside it, negative sampling uses σ = 0 or 1 and hierarchical
// softmax skips the node, as word2vec.c does.
func (w *worker) trainSentence(alpha float32) {
	t := w.t
	cfg := &t.Config
	d := cfg.Dim
	sen := w.sentence
	neu1, neu1e := w.neu1, w.neu1e
	syn0, syn1neg, syn1 := t.syn0, t.syn1neg, t.syn1
	for pos, word := range sen {
		b := w.rng.below(cfg.Window) // the window shrinks to Window−b on each side
		lo, hi := max(pos-cfg.Window+b, 0), min(pos+cfg.Window-b, len(sen)-1)
		if cfg.CBOW {
			clear(neu1)
			clear(neu1e)
			cw := 0
			for c := lo; c <= hi; c++ {
				if c != pos {
					axpy(1, syn0[int(sen[c])*d:][:d], neu1)
					cw++
				}
			}
			if cw == 0 {
				continue
			}
			inv := 1 / float32(cw)
			for i := range neu1 {
				neu1[i] *= inv
			}
			w.output(int(word), neu1, neu1e, alpha, syn1neg, syn1)
			for c := lo; c <= hi; c++ {
				if c != pos {
					axpy(1, neu1e, syn0[int(sen[c])*d:][:d])
				}
			}
			continue
		}
		for c := lo; c <= hi; c++ {
			if c == pos {
				continue
			}
			in := syn0[int(sen[c])*d:][:d]
			clear(neu1e)
			w.output(int(word), in, neu1e, alpha, syn1neg, syn1)
			axpy(1, neu1e, in)
		}
	}
}

// output runs the output layers for one (input, target word) pair: it
// updates the output rows and adds the gradient for the input into neu1e.
func (w *worker) output(word int, in, neu1e []float32, alpha float32, syn1neg, syn1 []float32) {
	t := w.t
	d := len(in)
	if t.Config.HS {
		codes, points := t.Vocab.code(word)
		for k, p := range points {
			node := syn1[int(p)*d:][:d]
			f := dot(in, node)
			if f <= -maxExp || f >= maxExp {
				continue
			}
			g := (1 - float32(codes[k]) - sigmoid(f)) * alpha
			fused(g, in, node, neu1e)
		}
	}
	neg := t.Config.Negative
	if neg == 0 {
		return
	}
	noise := t.noise
	for k := 0; k <= neg; k++ {
		target, label := word, float32(1)
		if k > 0 {
			if noise.alias != nil {
				target = noise.alias.draw(&w.rng) // inlined: the common case
			} else {
				target = noise.draw(&w.rng)
			}
			if target == word {
				continue
			}
			label = 0
		}
		out := syn1neg[target*d:][:d]
		f := dot(in, out)
		var g float32
		switch {
		case f > maxExp:
			g = (label - 1) * alpha
		case f < -maxExp:
			g = label * alpha
		default:
			g = (label - sigmoid(f)) * alpha
		}
		if g != 0 {
			fused(g, in, out, neu1e)
		}
	}
}
