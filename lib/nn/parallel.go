package nn

import "sync"

// ShareBatch is the data-parallel step of a model made of replicas (each
// with the model's weights and gradients of its own; see Replicator): it
// zeroes the gradients of each replica k (replicas[k], in the order of
// params), runs part(k) — replica k's forward and backward passes on its
// part of the batch — on a goroutine of its own, and, when all are done,
// adds the replicas' gradients into params, each weighed by its part's
// share n_k/N of the batch:
//
//	L = Σ_k (n_k/N)·L_k,    ∂L/∂θ = Σ_k (n_k/N)·∂L_k/∂θ,    N = Σ_k n_k
//
// where part(k) returns its mean loss L_k and its size n_k (words, target
// tokens, lanes). It returns L and N: the mean loss of the whole batch and
// its size. A part of size 0 adds nothing.
func ShareBatch(params []*Param, replicas [][]*Param, part func(k int) (loss float64, n int)) (loss float64, n int) {
	losses, counts := make([]float64, len(replicas)), make([]int, len(replicas))
	var wg sync.WaitGroup
	for k, ps := range replicas {
		ZeroGrads(ps)
		wg.Add(1)
		go func() {
			defer wg.Done()
			losses[k], counts[k] = part(k)
		}()
	}
	wg.Wait()
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return 0, 0
	}
	for k, ps := range replicas {
		share := float64(counts[k]) / float64(n)
		if share == 0 {
			continue
		}
		loss += share * losses[k]
		AddGrads(params, ps, share)
	}
	return loss, n
}
