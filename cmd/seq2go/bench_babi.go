package main

import (
	"fmt"
	"io"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/memnet"
)

func init() {
	benches["babi"] = command{"error per bAbI task on a directory of test files, the paper's table (--model FILE --test DIR)", benchBabi}
}

// failed is the error above which a bAbI task counts as failed (Weston et
// al. 2015: a task is passed at 95 % accuracy).
const failed = 0.05

func benchBabi(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench babi", stderr)
	af := addAnswerFlags(fs)
	dir := fs.String("test", "", "directory of the bAbI test files qa1_*_test.txt … qa20_*_test.txt (required)")
	suffix := fs.String("suffix", "test", "read the files qaN_*_SUFFIX.txt of the directory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usageError{"--test DIR is required (the official test files are not shipped: see README)"}
	}
	if *af.task != 0 {
		return usageError{"bench babi: --task is not needed: each task's file is answered by its model"}
	}
	models, err := af.load()
	if err != nil {
		return err
	}
	files, err := memnet.TaskFiles(*dir, *suffix)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s on %s\n\n", *af.model, *dir)
	const row = "%-30s %7s %9s  %s\n"
	fmt.Fprintf(stdout, row, "task", "error %", "questions", "")
	var sum float64
	var tasks, fails int
	for _, f := range files {
		name := fmt.Sprintf("%2d %s", f.Task, memnet.TaskName(f.Task))
		m := memnet.ForTask(models, f.Task)
		if m == nil {
			fmt.Fprintf(stdout, row, name, "-", "-", "no model")
			continue
		}
		stories, err := data.ReadBabiFile(f.Path)
		if err != nil {
			return err
		}
		s := m.Evaluate(m.Examples(stories, f.Task))
		e := s.ErrorRate()
		sum, tasks = sum+e, tasks+1
		mark := ""
		if e > failed {
			fails++
			mark = "failed"
		}
		fmt.Fprintf(stdout, row, name, fmt.Sprintf("%.1f", 100*e), fmt.Sprint(s.Questions), mark)
	}
	if tasks == 0 {
		return fmt.Errorf("%s answers none of the tasks in %s", *af.model, *dir)
	}
	fmt.Fprintf(stdout, row, "mean error", fmt.Sprintf("%.1f", 100*sum/float64(tasks)), "", "")
	fmt.Fprintf(stdout, "failed tasks (error > %.0f %%): %d of %d\n", 100*failed, fails, tasks)
	return nil
}
