package charrnn_test

import (
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
)

// TestMain installs lib/blas as gonum's BLAS, as the seq2go binary does
// (importing the library installs nothing): bench/charrnn.sh times these
// benchmarks against numpy's and PyTorch's min-char-rnn and char-LSTM.
func TestMain(m *testing.M) {
	blas.Use()
	os.Exit(m.Run())
}
