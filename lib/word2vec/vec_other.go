//go:build !amd64

package word2vec

// Off amd64 there are no assembly kernels: the Go loops run, whatever
// useAVX2 says.
var (
	cpuHasAVX2 = false
	useAVX2    = false
)

func dot(x, y []float32) float32          { return dotGo(x, y) }
func axpy(a float32, x, y []float32)      { axpyGo(a, x, y) }
func fused(g float32, in, t, e []float32) { fusedGo(g, in, t, e) }
