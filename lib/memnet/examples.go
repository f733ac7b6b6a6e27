package memnet

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
)

// Example is one question encoded for a model: the word ids of the
// sentences in memory, of the question, and of the answer.
type Example struct {
	// Story holds the word ids of the memories: the latest Config.Memory
	// statements told before the question, oldest first.
	Story [][]int
	// First is the index of Story[0] in the story's Sentences.
	First    int
	Question []int
	// Answer is the vocabulary id of the answer; a list answer such as
	// "apple,milk" is one word of the vocabulary, as in the paper ("we take
	// each possible combination of possible outputs and record them as a
	// separate answer vocabulary word"). -1 when the question has no
	// answer or its answer is not in the vocabulary.
	Answer int
	Task   int // the bAbI task, 1 … 20; 0 if not known
}

// Words splits a sentence into the words a model reads: lower-cased, its
// punctuation dropped ("Where is the milk?" → where is the milk).
func Words(s string) []string {
	var words []string
	for _, t := range data.TokenizeLower(s) {
		// A token is a run of word characters or a single other character.
		if r, _ := utf8.DecodeRuneInString(t); unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			words = append(words, t)
		}
	}
	return words
}

// AnswerWord returns the vocabulary word of an answer: its words joined
// by commas, lower-cased ("apple,milk").
func AnswerWord(answer []string) string { return strings.ToLower(strings.Join(answer, ",")) }

// NewVocab returns the vocabulary of stories: every word of their
// statements and questions and every answer word (see [AnswerWord]).
func NewVocab(stories ...[]data.BabiStory) *data.WordVocab {
	var sents [][]string
	for _, ss := range stories {
		for _, s := range ss {
			for _, x := range s.Sentences {
				sents = append(sents, Words(x))
			}
			for _, q := range s.Questions {
				sents = append(sents, Words(q.Text))
				if q.Answer != nil {
					sents = append(sents, []string{AnswerWord(q.Answer)})
				}
			}
		}
	}
	return data.BuildWordVocab(sents, 1, 0)
}

// encode returns the ids of the words of s that are in v; unknown words
// are left out, as if they were the null symbol.
func encode(v *data.WordVocab, s string) []int {
	var ids []int
	for _, w := range Words(s) {
		if id := v.ID(w); id != data.UnkID {
			ids = append(ids, id)
		}
	}
	return ids
}

// Examples encodes the questions of stories, in order, for the model: one
// Example a question, marked with task.
// Equal sentences share one slice of ids, by which the model encodes a
// sentence once per batch however many questions remember it.
func (m *Model) Examples(stories []data.BabiStory, task int) []Example {
	var exs []Example
	seen := map[string][]int{}
	for _, s := range stories {
		sents := make([][]int, len(s.Sentences))
		for i, x := range s.Sentences {
			ids, ok := seen[x]
			if !ok {
				ids = encode(m.Vocab, x)
				seen[x] = ids
			}
			sents[i] = ids
		}
		for _, q := range s.Questions {
			first := max(0, q.Known-m.Config.Memory)
			ex := Example{Story: sents[first:q.Known], First: first, Question: encode(m.Vocab, q.Text), Answer: -1, Task: task}
			if q.Answer != nil {
				if id := m.Vocab.ID(AnswerWord(q.Answer)); id != data.UnkID {
					ex.Answer = id
				}
			}
			exs = append(exs, ex)
		}
	}
	return exs
}

// Split holds out the last valFraction of exs for validation, the paper's
// protocol on each task's training file (data.SplitTail's arithmetic: 900
// and 100 of 1,000).
func Split(exs []Example, valFraction float64) (train, val []Example) {
	train0, _ := data.SplitTail(make([]int, len(exs)), valFraction)
	k := len(train0)
	return exs[:k:k], exs[k:]
}

// NumTasks is the number of bAbI tasks.
const NumTasks = 20

// Dataset is the embedded corpus of the bAbI train files.
const Dataset = "babi-en-v1.2"

// taskPrefix is how a task's file names begin: "qa2_".
func taskPrefix(task int) string { return "qa" + strconv.Itoa(task) + "_" }

// TaskName returns the name of a task as its file names spell it:
// "two-supporting-facts" for 2.
func TaskName(task int) string {
	for _, f := range datasets.Files(Dataset) {
		if rest, ok := strings.CutPrefix(f, taskPrefix(task)); ok {
			return strings.TrimSuffix(rest, "_train.txt")
		}
	}
	return ""
}

// LoadTask reads the embedded train file of a bAbI task, 1 … 20.
func LoadTask(task int) ([]data.BabiStory, error) {
	name := TaskName(task)
	if name == "" {
		return nil, fmt.Errorf("memnet: no bAbI task %d (want 1 … %d)", task, NumTasks)
	}
	file := taskPrefix(task) + name + "_train.txt"
	r, err := datasets.OpenFile(Dataset, file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return data.ReadBabi(r, file)
}

// TaskFile is a bAbI file of one task.
type TaskFile struct {
	Task int
	Path string
}

// TaskFiles finds the bAbI files of a directory, such as the official
// test files qa1_single-supporting-fact_test.txt … qa20_…_test.txt: the
// files named "qaN_*_<suffix>.txt", in task order. Two files of one task
// are an error, and so is a directory without any.
func TaskFiles(dir, suffix string) ([]TaskFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("memnet: %w", err)
	}
	var files []TaskFile
	for _, e := range entries {
		name := e.Name()
		num, ok := strings.CutPrefix(name, "qa")
		if !ok || e.IsDir() || !strings.HasSuffix(name, "_"+suffix+".txt") {
			continue
		}
		num, _, _ = strings.Cut(num, "_")
		task, err := strconv.Atoi(num)
		if err != nil || task < 1 || task > NumTasks {
			continue
		}
		files = append(files, TaskFile{Task: task, Path: filepath.Join(dir, name)})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("memnet: %s: no bAbI files qaN_*_%s.txt", dir, suffix)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Task < files[j].Task })
	for i := 1; i < len(files); i++ {
		if files[i].Task == files[i-1].Task {
			return nil, fmt.Errorf("memnet: %s: two files of task %d: %s and %s", dir, files[i].Task,
				filepath.Base(files[i-1].Path), filepath.Base(files[i].Path))
		}
	}
	return files, nil
}
