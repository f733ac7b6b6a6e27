package memnet

import (
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
)

// TestMain installs lib/blas as gonum's BLAS, as the seq2go binary does
// (importing the library installs nothing), so that BenchmarkLossGrad,
// which bench/memnet.sh sets against PyTorch, times the products users get.
func TestMain(m *testing.M) {
	blas.Use()
	os.Exit(m.Run())
}
