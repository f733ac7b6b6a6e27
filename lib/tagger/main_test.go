package tagger

import (
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
)

// TestMain installs lib/blas as gonum's BLAS, as the seq2go binary does
// (importing the library installs nothing): TestLearnsToTag trains, and
// bench/tagger.sh times BenchmarkTrain against PyTorch.
func TestMain(m *testing.M) {
	blas.Use()
	os.Exit(m.Run())
}
