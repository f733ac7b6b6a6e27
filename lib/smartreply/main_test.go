package smartreply

import (
	"os"
	"testing"

	"github.com/seq2go/seq2go/lib/blas"
)

// TestMain installs lib/blas as gonum's BLAS, as the seq2go binary does
// (importing the library installs nothing): BenchmarkSuggest times the
// products users get.
func TestMain(m *testing.M) {
	blas.Use()
	os.Exit(m.Run())
}
