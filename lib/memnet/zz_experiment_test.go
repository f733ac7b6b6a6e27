package memnet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

func evalErr(m *Model, exs []Example) (loss, errRate float64) {
	sc := m.Evaluate(exs)
	return sc.MeanLoss(), sc.ErrorRate()
}

func TestExperiment(t *testing.T) {
	tasks := os.Getenv("MEMEXP")
	if tasks == "" {
		t.Skip()
	}
	seed, _ := strconv.Atoi(os.Getenv("SEED"))

	task, _ := strconv.Atoi(tasks)
	stories, err := LoadTask(task)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	cfg := DefaultConfig()
	if e := os.Getenv("ENC"); e != "" {
		cfg.Encoding = e
	}
	m, _ := New(rng, cfg, NewVocab(stories))
	exs := m.Examples(stories, task)
	train, val := Split(exs, 0.1)
	opt := optim.NewSGD(m.Params(), 0.005)
	start := time.Now()
	run := func(epochs int, lr0 float64, decay int, ls bool) {
		best := math.Inf(1)
		for ep := 0; ep < epochs; ep++ {
			lr := lr0 * math.Pow(0.5, float64((ep+1)/decay))
			opt.SetLR(lr)
			perm := rng.Perm(len(train))
			batch := make([]Example, 0, 32)
			tl := 0.0
			for k := 0; k+32 <= len(perm); k += 32 {
				batch = batch[:0]
				for _, i := range perm[k : k+32] {
					batch = append(batch, train[i])
				}
				l, _ := m.LossGrad(batch, 1)
				tl += l
				optim.ClipGlobalNorm(m.Params(), 40)
				opt.Step()
				nn.ZeroGrads(m.Params())
			}
			vl, ve := evalErr(m, val)
			if ep%25 == 24 || ls {
				_, te := evalErr(m, train)
				fmt.Printf("task %d ep %d ls=%v lr %.4f train loss %.3f err %.3f val loss %.3f err %.3f\n", task, ep+1, m.Linear, lr, tl/float64(len(perm)/32), te, vl, ve)
			}
			if ls && os.Getenv("LSFIXED") == "" {
				if vl >= best {
					return
				}
				best = vl
			}
		}
	}
	m.Linear = true
	run(20, 0.005, 1000, true)
	m.Linear = false
	lr := 0.01
	if v := os.Getenv("LR"); v != "" {
		lr, _ = strconv.ParseFloat(v, 64)
	}
	run(100, lr, 25, false)
	vl, ve := evalErr(m, val)
	fmt.Printf("RESULT task %d seed %d val loss %.3f val err %.3f  %v\n", task, seed, vl, ve, time.Since(start))
}
