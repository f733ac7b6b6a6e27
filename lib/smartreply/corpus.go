package smartreply

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/dialog"
)

// Corpus is a reply data set: its examples split into train, dev and test
// (no conversation on two sides), and the candidates it comes with.
type Corpus struct {
	Name             string
	Train, Dev, Test []Example
	// Candidates is the response set given with the data (Dialog bAbI's
	// candidate file); nil means: mine one from the training replies.
	Candidates []string
	// Babi reports a Dialog bAbI corpus (BabiConfig), otherwise open
	// conversation (ChatConfig).
	Babi bool
}

// LoadCorpus reads a corpus by its name:
//
//	dialog-babi:N      Dialog bAbI task N (1 … 6): the embedded train and dev files, dev as Dev;
//	                   the official test files are not embedded (Test is empty: bench them with --test FILE)
//	dialog-babi:A..B   tasks A to B of 1 … 5 together (one model for several tasks)
//	topical-chat       Topical-Chat's 1,078 conversations, split 80/10/10 by conversation (seed 1)
//	FILE.tsv           message<TAB>reply lines, each pair its own conversation, split 80/10/10 (seed 1)
func LoadCorpus(spec string) (*Corpus, error) {
	switch {
	case strings.HasPrefix(spec, "dialog-babi:"):
		return loadBabi(spec)
	case spec == "topical-chat":
		ds, err := topicalChat()
		if err != nil {
			return nil, err
		}
		train, dev, test := dialog.SplitDialogs(ds, 0.1, 0.1, 1)
		return &Corpus{Name: spec, Train: Examples(train), Dev: Examples(dev), Test: Examples(test)}, nil
	case strings.HasSuffix(spec, ".tsv"):
		ds, err := readPairsFile(spec)
		if err != nil {
			return nil, err
		}
		train, dev, test := dialog.SplitDialogs(ds, 0.1, 0.1, 1)
		return &Corpus{Name: filepath.Base(spec), Train: Examples(train), Dev: Examples(dev), Test: Examples(test)}, nil
	}
	return nil, fmt.Errorf("smartreply: unknown data %q (want dialog-babi:N with N in 1…6, dialog-babi:A..B, topical-chat or a FILE.tsv of message<TAB>reply lines)", spec)
}

// babiTasks parses "N" or "A..B" into the task numbers.
func babiTasks(spec string) ([]int, error) {
	arg := strings.TrimPrefix(spec, "dialog-babi:")
	lo, hi, rng := strings.Cut(arg, "..")
	a, err1 := strconv.Atoi(lo)
	b := a
	var err2 error
	if rng {
		b, err2 = strconv.Atoi(hi)
	}
	switch {
	case err1 != nil || err2 != nil || a < 1 || b > 6 || a > b:
		return nil, fmt.Errorf("smartreply: %q: want dialog-babi:N with N in 1…6, or dialog-babi:A..B with 1 ≤ A ≤ B ≤ 5", spec)
	case a != b && b == 6:
		return nil, fmt.Errorf("smartreply: %q: task 6 has its own candidates and cannot be mixed with tasks 1…5", spec)
	}
	var tasks []int
	for t := a; t <= b; t++ {
		tasks = append(tasks, t)
	}
	return tasks, nil
}

// babiFile returns the embedded set and file name of task t's split
// ("trn" or "dev").
func babiFile(t int, split string) (set, file string) {
	set = "dialog-babi"
	if t >= 5 {
		set = fmt.Sprintf("dialog-babi-task%d", t)
	}
	return set, fmt.Sprintf("dialog-babi-task%d%s.txt", t, split)
}

// BabiCandidates returns the candidate set of Dialog bAbI task t: the
// shared one of tasks 1 … 5, or task 6's own.
func BabiCandidates(t int) ([]string, error) {
	set, file := "dialog-babi", "dialog-babi-candidates.txt"
	if t == 6 {
		set, file = "dialog-babi-task6", "dialog-babi-task6-dstc2-candidates.txt"
	}
	r, err := datasets.OpenFile(set, file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return dialog.ReadCandidates(r, file)
}

func loadBabi(spec string) (*Corpus, error) {
	tasks, err := babiTasks(spec)
	if err != nil {
		return nil, err
	}
	c := &Corpus{Name: spec, Babi: true}
	offTrain, offDev := 0, 0
	for _, t := range tasks {
		for _, split := range []string{"trn", "dev"} {
			set, file := babiFile(t, split)
			ds, err := readEmbedded(set, file, dialog.ReadBabi)
			if err != nil {
				return nil, err
			}
			ex := Examples(ds)
			off := &offTrain
			if split == "dev" {
				off = &offDev
			}
			for i := range ex {
				ex[i].Dialog += *off // dialogs numbered across tasks
			}
			*off += len(ds)
			if split == "trn" {
				c.Train = append(c.Train, ex...)
			} else {
				c.Dev = append(c.Dev, ex...)
			}
		}
	}
	if c.Candidates, err = BabiCandidates(tasks[0]); err != nil {
		return nil, err
	}
	return c, nil
}

// readEmbedded reads an embedded file with a dialog reader.
func readEmbedded(set, file string, read func(io.Reader, string) ([]dialog.Dialog, error)) ([]dialog.Dialog, error) {
	r, err := datasets.OpenFile(set, file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return read(r, file)
}

// topicalChat reads both embedded Topical-Chat files, valid_freq's
// conversations first.
func topicalChat() ([]dialog.Dialog, error) {
	var all []dialog.Dialog
	for _, f := range []string{"valid_freq.json", "valid_rare.json"} {
		ds, err := readEmbedded("topical-chat", f, dialog.ReadTopicalChat)
		if err != nil {
			return nil, err
		}
		all = append(all, ds...)
	}
	return all, nil
}

// readPairsFile reads message<TAB>reply lines as two-turn conversations.
func readPairsFile(path string) ([]dialog.Dialog, error) {
	pairs, err := data.ReadPairsFile(path)
	if err != nil {
		return nil, err
	}
	return pairDialogs(pairs), nil
}

// pairDialogs makes each pair a conversation of two utterances.
func pairDialogs(pairs []data.Pair) []dialog.Dialog {
	ds := make([]dialog.Dialog, len(pairs))
	for i, p := range pairs {
		ds[i] = dialog.Dialog{Utterances: []dialog.Utterance{
			{Speaker: "agent_1", Text: dialog.Normalize(p.Src), Line: i + 1},
			{Speaker: "agent_2", Text: dialog.Normalize(p.Tgt), Line: i + 1},
		}}
	}
	return ds
}

// LoadTest reads the examples a model is judged on:
//
//	dialog-babi:N   the dev file of task N (the test files are not embedded)
//	topical-chat    the test split of LoadCorpus("topical-chat")
//	FILE.json       a Topical-Chat conversations file, all of it
//	FILE.tsv        message<TAB>reply lines, all of them
//	FILE            a Dialog bAbI file (an official test or OOV-test file, say), all of it
func LoadTest(spec string) ([]Example, error) {
	switch {
	case strings.HasPrefix(spec, "dialog-babi:"):
		tasks, err := babiTasks(spec)
		if err != nil {
			return nil, err
		}
		var out []Example
		off := 0
		for _, t := range tasks {
			set, file := babiFile(t, "dev")
			ds, err := readEmbedded(set, file, dialog.ReadBabi)
			if err != nil {
				return nil, err
			}
			ex := Examples(ds)
			for i := range ex {
				ex[i].Dialog += off
			}
			off += len(ds)
			out = append(out, ex...)
		}
		return out, nil
	case spec == "topical-chat":
		c, err := LoadCorpus(spec)
		if err != nil {
			return nil, err
		}
		return c.Test, nil
	case strings.HasSuffix(spec, ".tsv"):
		ds, err := readPairsFile(spec)
		if err != nil {
			return nil, err
		}
		return Examples(ds), nil
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, fmt.Errorf("smartreply: %w", err)
	}
	defer f.Close()
	read := dialog.ReadBabi
	if strings.HasSuffix(spec, ".json") {
		read = dialog.ReadTopicalChat
	}
	ds, err := read(f, spec)
	if err != nil {
		return nil, err
	}
	return Examples(ds), nil
}
