package smartreply

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Cluster groups n vectors (the rows of v, n×D) into k clusters of similar
// direction: spherical k-means (Dhillon & Modha 2001) on the unit vectors,
// started by k-means++ (Arthur & Vassilvitskii 2007) and run for iters
// rounds of Lloyd's algorithm or until no vector moves,
//
//	c(i)  = argmax_j  u_i · μ_j                    u_i = v_i / |v_i|
//	μ_j   = Σ_{c(i)=j} u_i / |Σ_{c(i)=j} u_i|
//
// It returns each vector's cluster, 0 … k−1 (k is cut to n). Smart Reply
// clusters its response set by meaning, so that the three suggestions say
// three different things (Kannan et al. 2016, §4, by label propagation
// from a few labelled seeds; here, without labels, by the geometry of the
// model's own reply vectors). A zero vector goes to cluster 0.
func Cluster(rng *rand.Rand, v *mat.Dense, k, iters int) []int {
	n, d := v.Dims()
	k = min(k, n)
	assign := make([]int, n)
	if k <= 1 {
		return assign
	}
	u := mat.DenseCopyOf(v)
	for i := 0; i < n; i++ {
		if nrm := floats.Norm(u.RawRowView(i), 2); nrm > 0 {
			floats.Scale(1/nrm, u.RawRowView(i))
		}
	}
	// k-means++: each next centre drawn with probability ∝ its squared
	// distance 2 − 2 cos to the nearest centre so far.
	cent := mat.NewDense(k, d, nil)
	near := make([]float64, n)
	for i := range near {
		near[i] = math.Inf(1)
	}
	first := rng.IntN(n)
	copy(cent.RawRowView(0), u.RawRowView(first))
	for j := 1; j < k; j++ {
		total := 0.0
		for i := 0; i < n; i++ {
			dist := math.Max(2-2*floats.Dot(u.RawRowView(i), cent.RawRowView(j-1)), 0)
			near[i] = math.Min(near[i], dist)
			total += near[i]
		}
		pick := rng.IntN(n)
		if total > 0 {
			r := rng.Float64() * total
			for i, dist := range near {
				if r -= dist; r <= 0 {
					pick = i
					break
				}
			}
		}
		copy(cent.RawRowView(j), u.RawRowView(pick))
	}
	var sim mat.Dense
	for it := 0; it < iters; it++ {
		sim.Mul(u, cent.T()) // (n×k) = (n×D)·(D×k)
		moved := false
		for i := 0; i < n; i++ {
			if best := floats.MaxIdx(sim.RawRowView(i)); best != assign[i] {
				moved, assign[i] = true, best
			}
		}
		if !moved && it > 0 {
			break
		}
		cent.Zero()
		for i, c := range assign {
			floats.Add(cent.RawRowView(c), u.RawRowView(i))
		}
		for j := 0; j < k; j++ {
			if nrm := floats.Norm(cent.RawRowView(j), 2); nrm > 0 {
				floats.Scale(1/nrm, cent.RawRowView(j))
			}
		}
	}
	return assign
}

// Diverse returns up to n of hits (best first), each from a cluster that
// no better hit took: the first hit, then the best hit of another cluster,
// and so on. Smart Reply never shows two suggestions that mean the same
// (Kannan et al. 2016, §6).
func Diverse(hits []Hit, n int) []Hit {
	var out []Hit
	used := map[int]bool{}
	for _, h := range hits {
		if len(out) == n {
			break
		}
		if !used[h.Cluster] {
			used[h.Cluster] = true
			out = append(out, h)
		}
	}
	return out
}
