package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/memnet"
	"github.com/seq2go/seq2go/lib/training"
)

func init() {
	trainers["babi"] = command{"train end-to-end memory networks on the bAbI tasks (a task, all 20, or one joint model)", trainBabi}
}

// babiPlan is what a `train babi` command trains: the models, each of a
// list of tasks, each the best of Repeats runs. It travels in the
// checkpoints (memnet.Runs.Plan), so that --resume needs nothing else.
type babiPlan struct {
	Models  [][]int            `json:"models"` // the tasks of each model
	Repeats int                `json:"repeats"`
	Seed    uint64             `json:"seed"` // run r trains with seed Seed + r
	Model   memnet.Config      `json:"model"`
	Train   memnet.TrainConfig `json:"train"`
	Steps   int                `json:"steps"` // a run's length when set with --steps (0: the configuration's)
}

func trainBabi(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train babi", stderr)
	task := fs.Int("task", 2, "train a model of this bAbI task (1-20)")
	all := fs.Bool("all", false, "train a model of each of the 20 tasks")
	joint := fs.Bool("joint", false, "train one model of all 20 tasks (d = 50, 60 epochs halving every 15, at most 30 of linear start)")
	hops := fs.Int("hops", 3, "hops over the memory (K)")
	encoding := fs.String("encoding", memnet.PositionEncoding, "sentence encoding: pe (position) or bow (bag of words)")
	tying := fs.String("tying", memnet.Adjacent, "weight tying: adjacent or layerwise")
	dim := fs.Int("dim", 0, "embedding width d (0: 20, or 50 with --joint)")
	memory := fs.Int("memory", 50, "the latest sentences of a story in memory")
	noise := fs.Float64("noise", 0.1, "random noise: at most this fraction of empty memories among the sentences in training")
	temporal := fs.Bool("temporal", true, "temporal encoding of the sentences' order")
	repeats := fs.Int("repeats", 1, "train each model this many times, seeds --seed, --seed+1, …, and keep the best on validation")
	seed := fs.Uint64("seed", 1, "random seed of the first run: weights, batches, noise")
	linear := fs.Int("linear-start", -1, "at most this many epochs of linear start, before the epochs (0: none; -1: 20, or 30 with --joint)")
	lr := fs.Float64("lr", 0.01, "learning rate after linear start, halved every --halve-every epochs")
	halve := fs.Int("halve-every", 0, "halve the learning rate every this many epochs (0: 25, or 15 with --joint)")
	batch := fs.Int("batch", 32, "questions a step")
	tf := addTrainFlags(fs, trainDefaults{out: "babi.safetensors", logEvery: 50})
	fs.Lookup("epochs").Usage = "epochs after linear start (default 100, or 60 with --joint)"
	fs.Lookup("steps").Usage = "steps of each run, linear start included (default: from --linear-start and --epochs)"
	restore, err := tf.parse(fs, args)
	if err != nil {
		return err
	}
	defer restore()

	var (
		plan    babiPlan
		runs    = &memnet.Runs{}
		resumed *resumedRun
	)
	if *tf.resume != "" {
		if err := tf.fixed("task", "all", "joint", "hops", "encoding", "tying", "dim", "memory", "noise", "temporal", "repeats", "seed", "linear-start", "lr", "halve-every", "batch", "epochs", "steps"); err != nil {
			return err
		}
		if plan, runs, resumed, err = openBabiRun(*tf.resume); err != nil {
			return err
		}
	} else {
		if plan, err = newBabiPlan(tf, *task, *all, *joint, *repeats, *seed); err != nil {
			return err
		}
		plan.Model.Hops, plan.Model.Encoding, plan.Model.Tying, plan.Model.Memory = *hops, *encoding, *tying, *memory
		plan.Model.Noise, plan.Model.Temporal = *noise, *temporal
		if *dim > 0 {
			plan.Model.Dim = *dim
		}
		if *linear >= 0 {
			plan.Train.LinearStart = *linear
		}
		if *halve > 0 {
			plan.Train.HalveEvery = *halve
		}
		plan.Train.LR, plan.Train.Batch = *lr, *batch
		if tf.set["epochs"] {
			plan.Train.Epochs = int(*tf.epochs)
		}
		if tf.set["steps"] {
			plan.Steps = *tf.steps
		}
		if err := plan.Model.Check(); err != nil {
			return usageError{err.Error()}
		}
		if err := plan.Train.Check(); err != nil {
			return usageError{err.Error()}
		}
	}
	p, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	runs.Plan = string(p)

	start, questions := time.Now(), 0
	for len(runs.Done) < len(plan.Models) {
		n, err := trainBabiModel(plan, runs, resumed, tf, stdout, stderr)
		if err != nil {
			return err
		}
		questions, resumed = questions+n, nil
	}
	if err := memnet.Save(*tf.out, runs.Done); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(stderr, "train babi: %d model(s), %d questions trained on in %s (%.0f questions/s); saved to %s\n",
		len(runs.Done), questions, took.Round(time.Second), float64(questions)/took.Seconds(), *tf.out)
	return babiTable(plan, runs.Done, stdout)
}

// newBabiPlan returns the plan of a new training from the command line.
func newBabiPlan(tf *trainFlags, task int, all, joint bool, repeats int, seed uint64) (babiPlan, error) {
	plan := babiPlan{Repeats: repeats, Seed: seed, Model: memnet.DefaultConfig(), Train: memnet.DefaultTrainConfig()}
	switch {
	case repeats < 1:
		return plan, usageError{"--repeats must be at least 1"}
	case joint:
		if tf.set["task"] {
			return plan, usageError{"--joint trains on all 20 tasks: --task cannot be given"}
		}
		var tasks []int
		for t := 1; t <= memnet.NumTasks; t++ {
			tasks = append(tasks, t)
		}
		plan.Models = [][]int{tasks}
		plan.Model, plan.Train = memnet.JointConfig(), memnet.JointTrainConfig()
	case all:
		if tf.set["task"] {
			return plan, usageError{"--all and --task: choose one"}
		}
		for t := 1; t <= memnet.NumTasks; t++ {
			plan.Models = append(plan.Models, []int{t})
		}
	default:
		if task < 1 || task > memnet.NumTasks {
			return plan, usageError{fmt.Sprintf("--task %d: want 1 to %d", task, memnet.NumTasks)}
		}
		plan.Models = [][]int{{task}}
	}
	return plan, nil
}

// resumedRun is the run a checkpoint was in the middle of: its model and
// the state its trainer continues from.
type resumedRun struct {
	model *memnet.Model
	state *checkpoint.State
}

// openBabiRun reads a training checkpoint of train babi.
func openBabiRun(path string) (babiPlan, *memnet.Runs, *resumedRun, error) {
	var plan babiPlan
	m, _, runs, s, err := memnet.OpenTraining(path)
	if err != nil {
		return plan, nil, nil, err
	}
	if err := json.Unmarshal([]byte(runs.Plan), &plan); err != nil || len(plan.Models) == 0 || plan.Repeats < 1 {
		return plan, nil, nil, fmt.Errorf("%s: metadata \"plan\" %q: not a plan of train babi", path, runs.Plan)
	}
	if len(runs.Done) >= len(plan.Models) || runs.Run >= plan.Repeats {
		return plan, nil, nil, fmt.Errorf("%s: run %d of model %d is not in the plan of %d models of %d runs", path, runs.Run+1, len(runs.Done)+1, len(plan.Models), plan.Repeats)
	}
	return plan, runs, &resumedRun{model: m, state: s}, nil
}

// babiExamples returns the questions of tasks for model m: the last 10 %
// of each task's file held out for validation, as in the paper.
func babiExamples(m *memnet.Model, tasks []int) (train, val []memnet.Example, err error) {
	for _, t := range tasks {
		stories, err := memnet.LoadTask(t)
		if err != nil {
			return nil, nil, err
		}
		tr, va := memnet.Split(m.Examples(stories, t), 0.1)
		train, val = append(train, tr...), append(val, va...)
	}
	return train, val, nil
}

// newBabiModel returns a fresh model of tasks for run r of the plan.
func newBabiModel(plan babiPlan, tasks []int, r int) (*memnet.Model, error) {
	var stories [][]data.BabiStory
	for _, t := range tasks {
		s, err := memnet.LoadTask(t)
		if err != nil {
			return nil, err
		}
		stories = append(stories, s)
	}
	m, err := memnet.New(rand.New(rand.NewPCG(plan.Seed+uint64(r), 1)), plan.Model, memnet.NewVocab(stories...))
	if err != nil {
		return nil, err
	}
	m.Tasks = tasks
	return m, nil
}

// babiModelName names the model of tasks in messages: "task 2", "all 20 tasks".
func babiModelName(tasks []int) string {
	if len(tasks) == 1 {
		return fmt.Sprintf("task %d", tasks[0])
	}
	return fmt.Sprintf("%d tasks", len(tasks))
}

// trainBabiModel trains the next model of the plan, the best of its runs
// on validation, and appends it to runs.Done. resumed, when not nil, is
// the run to continue. It returns the number of questions it trained on.
func trainBabiModel(plan babiPlan, runs *memnet.Runs, resumed *resumedRun, tf *trainFlags, stdout, stderr io.Writer) (questions int, err error) {
	tasks := plan.Models[len(runs.Done)]
	for ; runs.Run < plan.Repeats; runs.Run++ {
		r := runs.Run
		var m *memnet.Model
		if resumed != nil {
			m = resumed.model
		} else {
			var err error
			if m, err = newBabiModel(plan, tasks, r); err != nil {
				return questions, err
			}
		}
		train, val, err := babiExamples(m, tasks)
		if err != nil {
			return questions, err
		}
		cfg := plan.Train
		cfg.Seed = plan.Seed + uint64(r)
		tr, err := memnet.NewTrainer(m, train, val, cfg)
		if err != nil {
			return questions, err
		}
		tr.Runs, tr.Workers = runs, *tf.workers
		if resumed != nil {
			if err := tr.Restore(resumed.state); err != nil {
				return questions, fmt.Errorf("%s: %w", *tf.resume, err)
			}
			resumed = nil
		}
		steps := tr.Steps()
		if plan.Steps > 0 {
			steps = plan.Steps
		}
		tr.Out, tr.SaveEvery, tr.ValEvery = *tf.out, *tf.saveEvery, *tf.valEvery
		name := fmt.Sprintf("train babi: %s, run %d of %d", babiModelName(tasks), r+1, plan.Repeats)
		fmt.Fprintf(stderr, "%s: %d training questions, %d validation, vocabulary %d; steps %d → %d (%d epochs of %d steps)\n",
			name, len(train), len(val), m.Vocab.Size(), tr.Step, steps, steps/tr.StepsPerEpoch(), tr.StepsPerEpoch())
		par, err := tf.setParallel("babi", tr.Loop)
		if err != nil {
			return questions, err
		}
		start, from := time.Now(), tr.Step
		err = drive(job{name: name, out: *tf.out, what: "the training", resumable: true, logEvery: *tf.logEvery,
			run: func(ctx context.Context, report func(training.Progress)) error {
				return tr.Run(par.loopContext(ctx), steps, report)
			}}, stdout, stderr)
		par.close()
		if err != nil {
			return questions, err
		}
		questions += (tr.Step - from) * cfg.Batch
		s := m.Evaluate(val)
		best := ""
		if runs.Better(s) {
			runs.Best, runs.BestScore, best = m, s, " (the best so far)"
		}
		fmt.Fprintf(stderr, "%s: val_err=%.1f val_loss=%.4f in %s%s\n", name, 100*s.ErrorRate(), s.MeanLoss(), time.Since(start).Round(time.Second), best)
	}
	runs.Done, runs.Best, runs.Run = append(runs.Done, runs.Best), nil, 0
	return questions, nil
}

// babiTable prints the validation error of each task, their mean and the
// number of tasks failed (above 5 %), and the final line:
//
//	final val_err=13.2 failed=9 tasks=20
func babiTable(plan babiPlan, models []*memnet.Model, stdout io.Writer) error {
	const row = "%-30s %7s %9s  %s\n"
	fmt.Fprintf(stdout, row, "task (validation)", "error %", "questions", "")
	var sum float64
	var tasks, fails int
	for i, m := range models {
		for _, t := range plan.Models[i] {
			_, val, err := babiExamples(m, []int{t})
			if err != nil {
				return err
			}
			s := m.Evaluate(val)
			e := s.ErrorRate()
			sum, tasks = sum+e, tasks+1
			mark := ""
			if e > failed {
				fails, mark = fails+1, "failed"
			}
			fmt.Fprintf(stdout, row, fmt.Sprintf("%2d %s", t, memnet.TaskName(t)), fmt.Sprintf("%.1f", 100*e), fmt.Sprint(s.Questions), mark)
		}
	}
	mean := 100 * sum / float64(tasks)
	fmt.Fprintf(stdout, row, "mean error", fmt.Sprintf("%.1f", mean), "", "")
	fmt.Fprintf(stdout, "final val_err=%.1f failed=%d tasks=%d\n", mean, fails, tasks)
	return nil
}
