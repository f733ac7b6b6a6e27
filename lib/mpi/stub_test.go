//go:build !mpi

package mpi_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/seq2go/seq2go/internal/mpitest"
	"github.com/seq2go/seq2go/lib/mpi"
	"github.com/seq2go/seq2go/lib/nn"
)

// TestMain removes the MPI-built test binary that TestMPI ran.
func TestMain(m *testing.M) {
	code := m.Run()
	mpitest.Cleanup()
	os.Exit(code)
}

// Without the mpi tag every call says how to build with MPI, and the job is
// one rank.
func TestStub(t *testing.T) {
	if mpi.Built() {
		t.Fatal("Built() = true without the mpi tag")
	}
	for name, err := range map[string]error{
		"Init": mpi.Init(), "Finalize": mpi.Finalize(), "AllreduceSum": mpi.AllreduceSum([]float64{1}),
		"Bcast": mpi.Bcast([]float64{1}, 0), "Barrier": mpi.Barrier(),
		"BcastParams": mpi.BcastParams([]*nn.Param{nn.NewParam("w", 1, 1)}, 0),
		"AllReduce":   exchange(),
	} {
		if !errors.Is(err, mpi.ErrNotBuilt) {
			t.Errorf("%s: %v, want ErrNotBuilt", name, err)
		}
	}
	for _, want := range []string{"-tags mpi", "openmpi-bin libopenmpi-dev"} {
		if !strings.Contains(mpi.ErrNotBuilt.Error(), want) {
			t.Errorf("ErrNotBuilt %q does not say %q", mpi.ErrNotBuilt, want)
		}
	}
	if mpi.Rank() != 0 || mpi.Size() != 1 {
		t.Errorf("Rank, Size = %d, %d, want 0, 1", mpi.Rank(), mpi.Size())
	}
}

func exchange() error {
	var a mpi.AllReduce
	_, _, err := a.Exchange([]*nn.Param{nn.NewParam("w", 1, 1)}, 0, 1, 1)
	return err
}
