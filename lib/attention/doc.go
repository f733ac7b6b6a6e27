// Package attention is the attention block that the models of seq2go share:
// a query looks at a memory of T slots, scores each slot, turns the scores
// into weights and returns the weighted sum of the slots' values. The
// translator (lib/seq2seq) attends from each decoder step to the source
// words, an end-to-end memory network from a question to the sentences of a
// story, a reply scorer from a message to candidate replies: one block, so
// that none of them imports another model to get it.
//
// # The block
//
// For one query q_b (row b of a batch B×H) over the slots j < n_b of row b,
// each with a key k_bj (K wide) and a value v_bj (V wide):
//
//	e_bj = score(q_b, k_bj)                                   the scores   (B×T)
//	a_bj = exp(e_bj) / Σ_{j' < n_b} exp(e_bj')   (j < n_b),  0 past n_b      (B×T)
//	c_b  = Σ_{j < n_b} a_bj · v_bj                            the context  (B×V)
//
// n_b is the length of row b's memory (Memory's lengths; a batch of
// sentences of different lengths is padded to the longest, T, and the
// padded slots get no weight and no gradient). The values are the keys
// unless the Memory is given values of its own.
//
// Three scores, each its own type with Forward and Backward written out:
//
//	Dot       score(q, k) = q·kᵀ                    Luong, Pham & Manning (2015); K = H
//	General   score(q, k) = q·W·kᵀ                  Luong et al. (2015), W: H×K
//	Additive  score(q, k) = tanh(q·Wq + k·Wk)·vᵀ    Bahdanau, Cho & Bengio (2015), Wq: H×A, Wk: K×A, v: 1×A
//
// With Linear set, a block drops the softmax: the weights are the scores
// themselves (still zero past n_b), a_bj = e_bj. That is the "linear start"
// of memory networks, and the raw scores that a ranker feeds to a loss of
// its own.
//
// A Memory may also hold empty slots (Memory.Empty: e_b of them for row
// b), zero keys and values that score 0 and so take a share of the softmax
// without adding to the context, a_bj = exp(e_bj) / (Σ_{j' < n_b}
// exp(e_bj') + e_b): the fixed-size memory of an end-to-end memory network,
// padded with a zero null symbol, without storing or computing its padding.
//
// # Memory: what the keys alone decide, once
//
// A batch's keys are the same for every query that looks at them (every
// decoder step of a translation), so what depends on them alone is computed
// once, by the block's Memory method, and read by every query: a stacked
// copy of the keys and values and, for Additive, the projections k_j·Wk of
// all T slots in one product. The query-side weight (General's W,
// Additive's Wq) is packed once per Memory for the queries' products.
//
// # Backward
//
// Backward(dctx, dweights) takes ∂L/∂c (B×V) and ∂L/∂a (B×T), either of
// which may be nil (zero), and returns ∂L/∂q (B×H). Shared by all scores:
//
//	∂L/∂a_bj  = ∂L/∂c_b · v_bjᵀ + dweights_bj
//	∂L/∂v_bj += a_bj · ∂L/∂c_b                                (into the Memory)
//	∂L/∂e_bj  = a_bj · (∂L/∂a_bj − Σ_j' a_bj' · ∂L/∂a_bj')      (softmax; = ∂L/∂a_bj when Linear)
//
// and each score carries ∂L/∂e back to the query, the keys and its
// weights. What many queries share is added into the Memory rather than
// into the weights' gradients at once: the keys' and values' gradients, and
// for a query-side weight W the queries and ∂L/∂(q·W). After the last query,
// MemoryBackward(mem) returns ∂L/∂k_j and ∂L/∂v_j and adds the weight
// gradients, each as one product over all queries (∂L/∂W += Σ_t q_tᵀ·g_t
// as one product of depth T·B rather than T products of depth B).
//
// # One block, many queries
//
// A block caches the query and the weights of its last Forward for its
// Backward. A decoder that attends at T steps uses T copies, one per step,
// made with Shared (the same parameters, Value and Grad, so their gradients
// add up) and all reading one Memory. Replica makes a copy with the same
// weights but its own gradients, for data-parallel training.
//
// # Uses
//
// A translator's decoder, step t of T_tgt over the encoder's outputs s_j
// (the keys and values):
//
//	mem := att.Memory(s, nil, srcLengths)      // once per batch
//	steps[t] = att.Shared()                     // once per step
//	ctx, _ := steps[t].Forward(h_t, mem)        // h_t: B×H, ctx: B×H
//	…
//	dh := steps[t].Backward(dctx, nil)          // t = T_tgt−1 … 0
//	ds, _ := att.MemoryBackward(mem)            // ∂L/∂s_j, after the last step
//
// An end-to-end memory network (Sukhbaatar, Szlam, Weston & Fergus 2015,
// "End-To-End Memory Networks", §2): hop k looks from u^k at the story's
// sentences embedded twice, m_i (keys) and c_i (values), with dot scores,
// and the next hop's query is u^{k+1} = u^k + o^k. One Dot per hop (it has
// no parameters); Linear = true during the paper's linear start:
//
//	for k := range hops {
//		mem[k] = hops[k].Memory(m[k], c[k], sentences)   // T sentences of B×d
//		o, p := hops[k].Forward(u, mem[k])                // p: B×T, where it looked
//		u = u + o
//	}
//	…
//	for k := K−1; k ≥ 0; k−− {
//		du = du + hops[k].Backward(du, nil)
//		dm[k], dc[k] = hops[k].MemoryBackward(mem[k])
//	}
//
// A reply scorer ranking T candidate replies r_j (keys, B×K each) for a
// message vector q: General with Linear = true gives the bilinear scores
// q·W·r_jᵀ as the weights, which nn.SoftmaxCrossEntropy turns into a loss
// over the candidates; Backward(nil, ∂L/∂scores) carries it back.
//
// # Conventions
//
// As in lib/nn: a batch is B×d, one example a row; a memory is time-major,
// T slots of B×K (slot j of every row in one matrix); weights are in×out.
// Shape mismatches panic with nn.ErrShape; an unknown kind of block is an
// error (NewAttention).
//
// References: Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by
// Jointly Learning to Align and Translate"; Luong, Pham & Manning (2015),
// "Effective Approaches to Attention-based Neural Machine Translation";
// Sukhbaatar et al. (2015), "End-To-End Memory Networks".
package attention
