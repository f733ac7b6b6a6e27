package word2vec

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/seq2go/seq2go/lib/datasets"
)

// AnalogySection is the score on one section of an analogy test set.
type AnalogySection struct {
	Name    string // "capital-common-countries", …; "semantic", "syntactic" and "total" for the sums
	Correct int    // questions whose top answer is the expected word
	Seen    int    // questions whose four words are all among the vectors searched
	Total   int    // questions in the section
}

// Accuracy is Correct/Seen, the figure word2vec.c's compute-accuracy and
// gensim report; 0 when no question was seen.
func (s AnalogySection) Accuracy() float64 {
	if s.Seen == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Seen)
}

// Coverage is Seen/Total: the share of questions the vocabulary can answer.
func (s AnalogySection) Coverage() float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Seen) / float64(s.Total)
}

// AnalogyReport is the result of [Vectors.EvaluateAnalogies].
type AnalogyReport struct {
	Sections  []AnalogySection // in file order
	Semantic  AnalogySection   // sections whose name does not start with "gram"
	Syntactic AnalogySection   // the "gram…" sections
	All       AnalogySection   // every question
	Restrict  int              // the number of words searched (0: all)
}

// String formats the report as a table, one line per section.
func (r *AnalogyReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %8s %8s %9s\n", "section", "accuracy", "seen", "coverage")
	line := func(s AnalogySection) {
		fmt.Fprintf(&b, "%-28s %7.1f%% %8d %8.1f%%\n", s.Name, 100*s.Accuracy(), s.Seen, 100*s.Coverage())
	}
	for _, s := range r.Sections {
		line(s)
	}
	line(r.Semantic)
	line(r.Syntactic)
	line(r.All)
	return b.String()
}

// DefaultRestrict is the number of most frequent words analogy evaluation
// searches, as in word2vec.c's README (compute-accuracy vectors.bin 30000).
const DefaultRestrict = 30000

// EvaluateAnalogies scores the vectors on analogy questions in the layout
// of word2vec's questions-words.txt: ": section" lines, and question lines
// "a b c d" meaning a is to b as c is to d. Each question is answered by
// 3CosAdd ([Vectors.Analogy]) among the first restrict words (all when
// restrict ≤ 0), and counts as seen only when all four words are among
// them, as word2vec.c's compute-accuracy does. Matching ignores case, as
// both compute-accuracy and gensim do: a word matches the most frequent
// vector whose lower-case form equals its own. The questions are answered
// on GOMAXPROCS goroutines.
func (v *Vectors) EvaluateAnalogies(questions io.Reader, restrict int) (*AnalogyReport, error) {
	top := v.Top(restrict)
	lower := make(map[string]int, top.Len())
	for i, w := range top.words {
		if _, ok := lower[strings.ToLower(w)]; !ok {
			lower[strings.ToLower(w)] = i
		}
	}
	type question struct{ section, a, b, c, d int }
	var qs []question
	rep := &AnalogyReport{Restrict: restrict, All: AnalogySection{Name: "total"},
		Semantic: AnalogySection{Name: "semantic"}, Syntactic: AnalogySection{Name: "syntactic"}}
	sc := bufio.NewScanner(questions)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, ":") {
			rep.Sections = append(rep.Sections, AnalogySection{Name: strings.TrimSpace(text[1:])})
			continue
		}
		f := strings.Fields(strings.ToLower(text))
		if len(f) != 4 {
			return nil, fmt.Errorf("word2vec: analogies:%d: want four words, got %q", line, text)
		}
		if len(rep.Sections) == 0 {
			rep.Sections = append(rep.Sections, AnalogySection{Name: "questions"})
		}
		s := len(rep.Sections) - 1
		rep.Sections[s].Total++
		var id [4]int
		known := true
		for k, w := range f {
			i, ok := lower[w]
			id[k], known = i, known && ok
		}
		if known {
			rep.Sections[s].Seen++
			qs = append(qs, question{s, id[0], id[1], id[2], id[3]})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("word2vec: analogies: %w", err)
	}
	// Answer the questions in parallel; each goroutine counts into its own
	// slice, summed at the end.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(qs)/64))
	correct := make([][]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		correct[w] = make([]int, len(rep.Sections))
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := make([]float32, v.dim)
			for k := w; k < len(qs); k += workers {
				x := qs[k]
				top.analogyQuery(q, x.a, x.b, x.c)
				best := top.nearest(q, 1, []int{x.a, x.b, x.c})
				if len(best) == 1 && lower[strings.ToLower(best[0].Word)] == x.d {
					correct[w][x.section]++
				}
			}
		}()
	}
	wg.Wait()
	for i := range rep.Sections {
		s := &rep.Sections[i]
		for w := range correct {
			s.Correct += correct[w][i]
		}
		sum := &rep.Semantic
		if strings.HasPrefix(s.Name, "gram") {
			sum = &rep.Syntactic
		}
		for _, t := range []*AnalogySection{sum, &rep.All} {
			t.Correct += s.Correct
			t.Seen += s.Seen
			t.Total += s.Total
		}
	}
	return rep, nil
}

// EvaluateQuestionsWords scores the vectors on the embedded
// questions-words.txt of Mikolov et al. (2013a): 19,544 questions in 14
// sections, 5 semantic and 9 syntactic. See [Vectors.EvaluateAnalogies].
func (v *Vectors) EvaluateQuestionsWords(restrict int) (*AnalogyReport, error) {
	r, err := datasets.OpenFile("word2vec-analogies", "questions-words.txt")
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	defer r.Close()
	return v.EvaluateAnalogies(r, restrict)
}
