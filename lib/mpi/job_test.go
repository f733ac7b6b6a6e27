//go:build mpi

package mpi_test

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/seq2go/seq2go/internal/mpitest"
	"github.com/seq2go/seq2go/lib/mpi"
	"github.com/seq2go/seq2go/lib/nn"
)

// TestMain initialises MPI when mpirun started the test binary (TestMPI
// does, with -tags mpi) and finalises it after the TestJob tests.
func TestMain(m *testing.M) {
	if !mpi.InJob() {
		code := m.Run()
		mpitest.Cleanup()
		os.Exit(code)
	}
	if err := mpi.Init(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := mpi.Finalize(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// inJob skips a test outside mpirun: the TestJob tests are the ranks'
// side of TestMPI.
func inJob(t *testing.T) {
	if !mpi.InJob() {
		t.Skip("run by TestMPI under mpirun")
	}
}

func TestJobRankSize(t *testing.T) {
	inJob(t)
	want, _ := strconv.Atoi(os.Getenv("OMPI_COMM_WORLD_SIZE"))
	if got := mpi.Size(); got != want {
		t.Errorf("Size = %d, want %d (OMPI_COMM_WORLD_SIZE)", got, want)
	}
	if r := mpi.Rank(); r < 0 || r >= mpi.Size() || strconv.Itoa(r) != os.Getenv("OMPI_COMM_WORLD_RANK") {
		t.Errorf("Rank = %d, want OMPI_COMM_WORLD_RANK %s", r, os.Getenv("OMPI_COMM_WORLD_RANK"))
	}
	if err := mpi.Init(); err == nil {
		t.Error("a second Init returned no error")
	}
}

// Rank r contributes (r+1)·(i+1) at element i, so the sum over N ranks is
// (i+1)·N(N+1)/2 — exact in float64. The buffer of a million elements
// takes Open MPI's pipelined (segmented) path, not only its eager one.
func TestJobAllreduceSum(t *testing.T) {
	inJob(t)
	n, r := mpi.Size(), mpi.Rank()
	for _, size := range []int{0, 1, 1000, 1 << 20} {
		buf := make([]float64, size)
		for i := range buf {
			buf[i] = float64((r + 1) * (i + 1))
		}
		if err := mpi.AllreduceSum(buf); err != nil {
			t.Fatal(err)
		}
		for i, v := range buf {
			if want := float64((i + 1) * n * (n + 1) / 2); v != want {
				t.Fatalf("rank %d, %d elements: sum[%d] = %v, want %v", r, size, i, v, want)
			}
		}
	}
}

func TestJobBcast(t *testing.T) {
	inJob(t)
	n, r := mpi.Size(), mpi.Rank()
	root := n - 1
	buf := make([]float64, 5000)
	for i := range buf {
		buf[i] = float64(r*10000 + i)
	}
	if err := mpi.Bcast(buf, root); err != nil {
		t.Fatal(err)
	}
	for i, v := range buf {
		if want := float64(root*10000 + i); v != want {
			t.Fatalf("rank %d: buf[%d] = %v, want rank %d's %v", r, i, v, root, want)
		}
	}
	if err := mpi.Bcast(buf, n); err == nil {
		t.Errorf("Bcast from rank %d of %d returned no error", n, n)
	}
}

// The ranks leave the barrier together: rank 0 arrives 300 ms late, and
// none may leave before it has arrived.
func TestJobBarrier(t *testing.T) {
	inJob(t)
	start := []float64{float64(time.Now().UnixNano())}
	if err := mpi.Bcast(start, 0); err != nil { // rank 0's clock for all (one machine)
		t.Fatal(err)
	}
	if mpi.Rank() == 0 {
		time.Sleep(300 * time.Millisecond)
	}
	if err := mpi.Barrier(); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(time.Unix(0, int64(start[0]))); waited < 300*time.Millisecond {
		t.Errorf("rank %d left the barrier %v after the start, before rank 0 arrived (300 ms)", mpi.Rank(), waited)
	}
}

// TestJobFault is the ranks' side of TestMPIFault: rank 1 kills itself
// while the others sum buffers with it; mpirun must stop them. Each rank
// first writes its process id to $SEQ2GO_MPI_FAULT/rank-R.pid.
func TestJobFault(t *testing.T) {
	dir := os.Getenv("SEQ2GO_MPI_FAULT")
	if !mpi.InJob() || dir == "" {
		t.Skip("run by TestMPIFault under mpirun")
	}
	r := mpi.Rank()
	pid := fmt.Appendf(nil, "%d", os.Getpid())
	if err := os.WriteFile(fmt.Sprintf("%s/rank-%d.pid", dir, r), pid, 0o644); err != nil {
		t.Fatal(err)
	}
	buf := make([]float64, 1000)
	if err := mpi.AllreduceSum(buf); err != nil {
		t.Fatal(err)
	}
	if r == 1 {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	for {
		if err := mpi.AllreduceSum(buf); err != nil {
			t.Fatalf("rank %d: %v", r, err)
		}
	}
}

// Rank r's shard held n_r = 3 + 2r tokens with mean loss 1 + r and
// gradient g_r = (r+1)·G for a fixed G: the exchanged gradient must be
// Σ (n_r/N)·g_r and the loss Σ n_r·loss_r / N, on every rank.
func TestJobAllReduce(t *testing.T) {
	inJob(t)
	size, r := mpi.Size(), mpi.Rank()
	params := []*nn.Param{nn.NewParam("W", 2, 3), nn.NewParam("b", 1, 3)}
	base := func(p, i int) float64 { return float64(10*p + i + 1) } // G
	for k, p := range params {
		g := p.Grad.RawMatrix().Data
		for i := range g {
			g[i] = float64(r+1) * base(k, i)
		}
	}
	var a mpi.AllReduce
	loss, tokens, err := a.Exchange(params, 0, float64(1+r), 3+2*r)
	if err != nil {
		t.Fatal(err)
	}
	var n, wsum, lsum float64
	for q := 0; q < size; q++ {
		nq := float64(3 + 2*q)
		n, wsum, lsum = n+nq, wsum+nq*float64(q+1), lsum+nq*float64(1+q)
	}
	if tokens != int(n) || math.Abs(loss-lsum/n) > 1e-15 {
		t.Errorf("rank %d: loss %v over %d tokens, want %v over %v", r, loss, tokens, lsum/n, n)
	}
	for k, p := range params {
		for i, v := range p.Grad.RawMatrix().Data {
			if want := wsum / n * base(k, i); math.Abs(v-want) > 1e-13*want {
				t.Fatalf("rank %d: %s grad[%d] = %v, want %v", r, p.Name, i, v, want)
			}
		}
	}
}

// After BcastParams every rank holds rank 0's values.
func TestJobBcastParams(t *testing.T) {
	inJob(t)
	params := []*nn.Param{nn.NewParam("W", 3, 2), nn.NewParam("m", 1, 4)}
	for k, p := range params {
		v := p.Value.RawMatrix().Data
		for i := range v {
			v[i] = float64(100*mpi.Rank() + 10*k + i)
		}
	}
	if err := mpi.BcastParams(params, 0); err != nil {
		t.Fatal(err)
	}
	for k, p := range params {
		for i, v := range p.Value.RawMatrix().Data {
			if want := float64(10*k + i); v != want {
				t.Fatalf("rank %d: %s[%d] = %v, want rank 0's %v", mpi.Rank(), p.Name, i, v, want)
			}
		}
	}
}
