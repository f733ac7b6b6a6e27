package word2vec

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// royals is a hand-made vector set where the analogies hold by
// construction. The axes are gender (+1 male, −1 female), royalty, adult,
// fruit and young; every vector has length √3, so unit vectors are v/√3
// and king − man + woman = (−1, 1, 1, 0, 0) is queen exactly.
func royals(t testing.TB) *Vectors {
	words := []string{"man", "woman", "king", "queen", "prince", "princess", "apple", "pear", "boy", "girl"}
	r2 := float32(math.Sqrt2)
	data := []float32{
		1, 0, r2, 0, 0, // man
		-1, 0, r2, 0, 0, // woman
		1, 1, 1, 0, 0, // king
		-1, 1, 1, 0, 0, // queen
		1, 1, 0, 0, 1, // prince
		-1, 1, 0, 0, 1, // princess
		0, 0, 0, float32(math.Sqrt(3)), 0, // apple
		0, 0.3, 0, float32(math.Sqrt(3 - 0.09)), 0, // pear
		1, 0, 1, 0, 1, // boy
		-1, 0, 1, 0, 1, // girl
	}
	v, err := NewVectors(words, 5, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAnalogy(t *testing.T) {
	v := royals(t)
	for _, c := range []struct{ a, b, c, want string }{
		{"man", "king", "woman", "queen"},
		{"woman", "queen", "man", "king"},
		{"king", "queen", "prince", "princess"},
		{"man", "woman", "boy", "girl"},
	} {
		got, err := v.Analogy(c.a, c.b, c.c, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Word != c.want {
			t.Errorf("%s:%s :: %s:? = %v, want %s", c.a, c.b, c.c, got, c.want)
		}
	}
	// The three query words never come back, even when closest:
	// king − man + woman is nearest to queen, then to king itself.
	got, _ := v.Analogy("man", "king", "woman", 10)
	for _, n := range got {
		if n.Word == "man" || n.Word == "king" || n.Word == "woman" {
			t.Errorf("query word %q among the answers %v", n.Word, got)
		}
	}
	if len(got) != 7 {
		t.Errorf("%d answers from 10 words minus 3", len(got))
	}
	// The score is the cosine with û_king − û_man + û_woman = û_queen: 1.
	if math.Abs(got[0].Similarity-1) > 1e-6 {
		t.Errorf("cos(query, queen) = %.7f, want 1", got[0].Similarity)
	}
	// The runner-up, princess (−1, 1, 0, 0, 1): cos = (1 + 1)/3.
	if got[1].Word != "princess" || math.Abs(got[1].Similarity-2.0/3) > 1e-6 {
		t.Errorf("second answer %v, want princess 0.6667", got[1])
	}
	if _, err := v.Analogy("man", "emperor", "empress", 1); !errors.Is(err, ErrUnknownWord) || !strings.Contains(err.Error(), `"emperor", "empress"`) {
		t.Errorf("unknown words: %v", err)
	}
}

func TestNearest(t *testing.T) {
	v := royals(t)
	got, err := v.Nearest("apple", 2)
	if err != nil {
		t.Fatal(err)
	}
	// cos(apple, pear) = √2.91/√3; every person is orthogonal to apple.
	if got[0].Word != "pear" || math.Abs(got[0].Similarity-math.Sqrt(2.91/3)) > 1e-6 || math.Abs(got[1].Similarity) > 1e-6 {
		t.Errorf("Nearest(apple) = %v", got)
	}
	all, _ := v.Nearest("king", 100)
	if len(all) != 9 {
		t.Errorf("Nearest(king, 100) gave %d of the 9 other words", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Similarity > all[i-1].Similarity {
			t.Errorf("not sorted: %v", all)
		}
	}
	if s, _ := v.Similarity("king", "queen"); math.Abs(s-1.0/3) > 1e-6 { // (−1 + 1 + 1)/3
		t.Errorf("Similarity(king, queen) = %v, want 1/3", s)
	}
	to, err := v.NearestTo([]float64{0, 0, 0, 5, 0}, 1, "apple")
	if err != nil || to[0].Word != "pear" {
		t.Errorf("NearestTo(fruit axis, not apple) = %v, %v", to, err)
	}
	if _, err := v.NearestTo([]float64{1}, 1); err == nil {
		t.Errorf("NearestTo with the wrong dimension: no error")
	}
	if _, err := v.Nearest("emperor", 1); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
	if got, _ := v.Nearest("king", 0); len(got) != 0 {
		t.Errorf("k = 0: %v", got)
	}
}

// TestNearestMatchesSort pins the one-pass top-k to a full sort.
func TestNearestMatchesSort(t *testing.T) {
	v := randomVectors(t, randFor(t), 300, 10)
	for _, w := range []string{"a_0", "q_6", "c_2"} {
		for _, k := range []int{1, 5, 50} {
			got, _ := v.Nearest(w, k)
			want := naiveNearest(v, w)
			for i := range got {
				if got[i].Word != want[i].Word {
					t.Fatalf("Nearest(%s, %d)[%d] = %v, sort gives %v", w, k, i, got[i], want[i])
				}
			}
		}
	}
}

// naiveNearest ranks every other word by cosine in float64, by sorting.
func naiveNearest(v *Vectors, word string) []Neighbour {
	q := v.Vector(word)
	var out []Neighbour
	for i := 0; i < v.Len(); i++ {
		if v.Word(i) == word {
			continue
		}
		r := v.Row(i)
		var d, nq, nr float64
		for j := range r {
			d, nq, nr = d+q[j]*r[j], nq+q[j]*q[j], nr+r[j]*r[j]
		}
		out = append(out, Neighbour{v.Word(i), d / math.Sqrt(nq*nr)})
	}
	for i := 1; i < len(out); i++ { // insertion sort: stable, highest first
		for j := i; j > 0 && out[j].Similarity > out[j-1].Similarity; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func TestEvaluateAnalogies(t *testing.T) {
	v := royals(t)
	questions := `: royalty
man king woman queen
MAN KING WOMAN QUEEN
king queen prince princess
man king woman emperor
: gram-gender
man woman boy girl
man woman boy prince
: fruit
apple pear peach plum
`
	rep, err := v.EvaluateAnalogies(strings.NewReader(questions), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range append(rep.Sections, rep.Semantic, rep.Syntactic, rep.All) {
		got = append(got, fmt.Sprintf("%s %d/%d/%d", s.Name, s.Correct, s.Seen, s.Total))
	}
	want := "royalty 3/3/4 | gram-gender 1/2/2 | fruit 0/0/1 | semantic 3/3/5 | syntactic 1/2/2 | total 4/5/7"
	if strings.Join(got, " | ") != want {
		t.Errorf("report\n got %s\nwant %s", strings.Join(got, " | "), want)
	}
	if a, c := rep.All.Accuracy(), rep.All.Coverage(); a != 0.8 || math.Abs(c-5.0/7) > 1e-15 {
		t.Errorf("accuracy %v coverage %v", a, c)
	}
	if !strings.Contains(rep.String(), "total                           80.0%        5     71.4%") {
		t.Errorf("String:\n%s", rep)
	}
	// Restricted to the first 4 words, only "man king woman queen" (twice) is seen.
	rep, _ = v.EvaluateAnalogies(strings.NewReader(questions), 4)
	if rep.All.Seen != 2 || rep.All.Correct != 2 {
		t.Errorf("restrict 4: %+v", rep.All)
	}
	if _, err := v.EvaluateAnalogies(strings.NewReader("man king woman\n"), 0); err == nil || !strings.Contains(err.Error(), "analogies:1: want four words") {
		t.Errorf("bad line: %v", err)
	}
}

// TestEvaluateQuestionsWords counts the embedded questions-words.txt: 19,544
// questions in 14 sections, 8,869 semantic and 10,675 syntactic (Mikolov et
// al. 2013a, table 1).
func TestEvaluateQuestionsWords(t *testing.T) {
	rep, err := royals(t).EvaluateQuestionsWords(DefaultRestrict)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 14 || rep.All.Total != 19544 || rep.Semantic.Total != 8869 || rep.Syntactic.Total != 10675 {
		t.Errorf("%d sections, %d questions (%d semantic, %d syntactic)", len(rep.Sections), rep.All.Total, rep.Semantic.Total, rep.Syntactic.Total)
	}
	if rep.Sections[0].Name != "capital-common-countries" || rep.Sections[13].Name != "gram9-plural-verbs" {
		t.Errorf("sections %q … %q", rep.Sections[0].Name, rep.Sections[13].Name)
	}
	// "man woman king queen" etc. are in the family section, ten words known here.
	if fam := rep.Sections[4]; fam.Name != "family" || fam.Seen == 0 {
		t.Errorf("family: %+v", fam)
	}
}

func TestPCA(t *testing.T) {
	// Five points on a plane inside 6-D space, at known 2-D positions
	// (x, y) ↦ x·e1 + y·e2 with e1, e2 orthonormal. PCA must give back the
	// same picture up to rotation and reflection: the same pairwise
	// distances, and all the variance in two axes.
	pts := [][2]float64{{0, 0}, {3, 0}, {0, 1}, {3, 1}, {1.5, 0.5}}
	e1 := []float64{0.6, 0.8, 0, 0, 0, 0}
	e2 := []float64{0, 0, 0, 0.28, 0.96, 0}
	words := []string{"p0", "p1", "p2", "p3", "p4"}
	data := make([]float32, 0, 30)
	for _, p := range pts {
		for j := range e1 {
			data = append(data, float32(p[0]*e1[j]+p[1]*e2[j]+7)) // +7: PCA centres first
		}
	}
	v, err := NewVectors(words, 6, data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.PCA(words...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			want := math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
			got := math.Hypot(p.X[i]-p.X[j], p.Y[i]-p.Y[j])
			if math.Abs(got-want) > 1e-5 {
				t.Errorf("distance %s–%s = %.6f, want %.6f", words[i], words[j], got, want)
			}
		}
	}
	// Variance along x: the x coordinates are 0,3,0,3,1.5 (variance 1.8 ×
	// n/(n−1), but shares cancel that); along y 0,0,1,1,0.5: 9/10 vs 1/10.
	if math.Abs(p.Explained[0]-0.9) > 1e-6 || math.Abs(p.Explained[1]-0.1) > 1e-6 {
		t.Errorf("explained %v, want [0.9 0.1]", p.Explained)
	}
	if _, err := v.PCA("p0"); err == nil {
		t.Errorf("PCA of one word: no error")
	}
	if _, err := v.PCA("p0", "nope"); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("PCA with an unknown word: %v", err)
	}
}
