package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/memnet"
	"github.com/seq2go/seq2go/lib/plot"
)

func init() {
	commands["answer"] = command{"answer questions about a story on standard input (--model FILE from 'train babi')", answer}
}

// answerFlags are the flags of answer and bench babi that pick a model.
type answerFlags struct {
	model *string
	task  *int
}

func addAnswerFlags(fs *flag.FlagSet) answerFlags {
	return answerFlags{
		model: fs.String("model", "", "checkpoint written by 'seq2go train babi' (required)"),
		task:  fs.Int("task", 0, "answer with the model of this bAbI task (1-20), when the file holds one per task"),
	}
}

// load reads the models of --model.
func (f answerFlags) load() ([]*memnet.Model, error) {
	if *f.model == "" {
		return nil, usageError{"--model FILE is required"}
	}
	if *f.task < 0 || *f.task > memnet.NumTasks {
		return nil, usageError{fmt.Sprintf("--task %d: want 1 to %d", *f.task, memnet.NumTasks)}
	}
	return memnet.Load(*f.model)
}

// pick returns the model that answers --task, or the file's only (or
// joint) model when no task is given.
func (f answerFlags) pick(models []*memnet.Model) (*memnet.Model, error) {
	if *f.task > 0 {
		if m := memnet.ForTask(models, *f.task); m != nil {
			return m, nil
		}
		return nil, fmt.Errorf("%s has no model for task %d", *f.model, *f.task)
	}
	if len(models) == 1 {
		return models[0], nil
	}
	for _, m := range models {
		if len(m.Tasks) > 1 {
			return m, nil
		}
	}
	return nil, usageError{fmt.Sprintf("%s holds %d models, one per task: which? (--task N)", *f.model, len(models))}
}

func answer(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("answer", stderr)
	af := addAnswerFlags(fs)
	minWeight := fs.Float64("min-weight", 0.05, "show the sentences that some hop weighs at least this much (0: all)")
	plotFile := fs.String("plot", "", "draw the attention of the last question to this PNG file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	models, err := af.load()
	if err != nil {
		return err
	}
	m, err := af.pick(models)
	if err != nil {
		return err
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	last, err := answerStories(m, in, "stdin", *minWeight, stdout)
	if err != nil || *plotFile == "" {
		return err
	}
	if err := last.Save(*plotFile); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "attention of the last question drawn to %s\n", *plotFile)
	return nil
}

// numbered matches the first line of a story in the bAbI format.
var numbered = regexp.MustCompile(`^\s*[0-9]+ `)

// answerStories reads stories from in, in the bAbI format (numbered lines)
// or as plain sentences, and writes each question's answer and the
// sentences each hop looked at, with their weights. It returns the picture
// of the last question's attention.
func answerStories(m *memnet.Model, in []byte, name string, minWeight float64, out io.Writer) (last *plot.HeatMap, err error) {
	var stories []data.BabiStory
	first, _, _ := strings.Cut(strings.TrimLeft(string(in), "\r\n \t\uFEFF"), "\n")
	if numbered.MatchString(first) {
		if stories, err = data.ReadBabi(bytes.NewReader(in), name); err != nil {
			return nil, err
		}
		if data.CountBabiQuestions(stories) == 0 {
			return nil, fmt.Errorf("%s: no question (a line ending in \"?\" or holding a tab)", name)
		}
	} else {
		story, err := data.ReadPlainStory(bytes.NewReader(in), name)
		if err != nil {
			return nil, err
		}
		stories = []data.BabiStory{story}
	}
	for _, story := range stories {
		for i, a := range m.AnswerStory(story) {
			q := story.Questions[i]
			fmt.Fprintf(out, "%s\n→ %s (%.2f)", q.Text, a.Text, a.Prob)
			if q.Answer != nil {
				if want := memnet.AnswerWord(q.Answer); want == a.Text {
					fmt.Fprint(out, "  right")
				} else {
					fmt.Fprintf(out, "  wrong: %s", want)
				}
			}
			fmt.Fprintln(out)
			if err := writeAttention(out, story.Sentences, a, minWeight); err != nil {
				return nil, err
			}
			fmt.Fprintln(out)
			last = a.Plot(story.Sentences, q.Text)
		}
	}
	return last, nil
}

// writeAttention writes the weights of each hop on the sentences in
// memory, one sentence a line, leaving out those no hop weighs minWeight.
func writeAttention(out io.Writer, sentences []string, a memnet.Answer, minWeight float64) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for k := range a.Attention {
		fmt.Fprintf(tw, "hop %d\t", k+1)
	}
	fmt.Fprintln(tw)
	hidden := 0
	for i := range a.Attention[0] {
		most := 0.0
		for _, w := range a.Attention {
			most = max(most, w[i])
		}
		if most < minWeight {
			hidden++
			continue
		}
		for _, w := range a.Attention {
			fmt.Fprintf(tw, "%.2f\t", w[i])
		}
		fmt.Fprintf(tw, " %s\n", sentences[a.First+i]) // the last cell, not a column: left as it is
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if hidden > 0 {
		fmt.Fprintf(out, "(%d more sentences, each weighed below %.2f)\n", hidden, minWeight)
	}
	return nil
}
