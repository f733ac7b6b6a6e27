package seq2seq_test

import (
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
)

// TestMain installs lib/blas as gonum's BLAS, as the seq2go binary does
// (importing the library installs nothing): BenchmarkPeerTrain and
// BenchmarkPeerGreedy, which bench/seq2seq.sh sets against PyTorch, time
// the products users get.
func TestMain(m *testing.M) {
	blas.Use()
	os.Exit(m.Run())
}
