package smartreply

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// Config describes a Model: how it reads text, the sizes of its three
// networks and its response set. It is saved with the model as JSON.
type Config struct {
	// Tokenizer is SpaceTokens (Dialog bAbI) or WordTokens (raw text).
	Tokenizer string `json:"tokenizer"`
	// ContextTurns is how many of the last turns of a conversation the
	// model reads (1: the message alone, as Smart Reply does); 0 reads the
	// whole conversation so far. MaxContext caps the tokens read (see
	// Context); 0: no cap.
	ContextTurns int `json:"context_turns"`
	MaxContext   int `json:"max_context"`
	// MaxReply is the longest training reply, in tokens, the scorer and the
	// dual encoder train on (longer ones are skipped; the trigger still
	// learns from them); 0: no limit.
	MaxReply int `json:"max_reply"`
	// MinCount and MaxVocab build the two vocabularies (context words and
	// reply words): a word seen fewer than MinCount times in training is
	// <unk>; each vocabulary keeps its MaxVocab most frequent (0: all).
	MinCount int `json:"min_count"`
	MaxVocab int `json:"max_vocab"`

	// Scorer is the LSTM encoder–decoder that gives log P(reply | context)
	// (lib/seq2seq; its vocabulary sizes and BOS/EOS are filled in).
	Scorer seq2seq.Config `json:"scorer"`
	// DualDim is the width of the dual encoder's vectors (0: no dual
	// encoder); DualEmbed and DualHidden its towers' embedding and LSTM
	// widths.
	DualDim    int `json:"dual_dim"`
	DualEmbed  int `json:"dual_embed"`
	DualHidden int `json:"dual_hidden"`
	// TriggerEmbed and TriggerHidden are the trigger's sizes; Threshold the
	// P(suggest) at which suggestions are shown.
	TriggerEmbed  int     `json:"trigger_embed"`
	TriggerHidden int     `json:"trigger_hidden"`
	Threshold     float64 `json:"threshold"`

	// ResponseMaxTokens and ResponseMinCount mine the response set from the
	// training replies (MineResponses) when no candidates are given; a
	// training reply is "short", the trigger's positive label, when it has
	// at most ResponseMaxTokens tokens.
	ResponseMaxTokens int `json:"response_max_tokens"`
	ResponseMinCount  int `json:"response_min_count"`
	// Clusters is the number of semantic clusters of the response set.
	Clusters int `json:"clusters"`

	// Seed draws the initial weights, the batches' order and the clusters.
	Seed uint64 `json:"seed"`
}

// BabiConfig is the configuration for Dialog bAbI: pre-tokenized text, the
// whole dialog so far as context (up to 400 tokens, facts kept longest),
// the given candidates as the response set, suggestions always shown. The
// scorer copies (seq2seq's Config.Copy): the restaurants, phone numbers and
// addresses of the dev and test dialogs are mostly not in the training
// replies (a quarter of task 3's dev replies, 43 % of task 4's), and words
// seen once in training are left out of the vocabularies (MinCount 2), so
// that the scorer learns to point at them in the facts rather than to
// remember them.
func BabiConfig() Config {
	return Config{
		Tokenizer: SpaceTokens, ContextTurns: 0, MaxContext: 400, MinCount: 2,
		Scorer:  seq2seq.Config{Embed: 64, Hidden: 128, Attention: "general", Copy: true, Unk: data.UnkID},
		DualDim: 64, DualEmbed: 32, DualHidden: 64,
		TriggerEmbed: 16, TriggerHidden: 16, Threshold: 0,
		Clusters: 100, Seed: 1,
	}
}

// ChatConfig is the configuration for open conversation (Topical-Chat, a
// FILE.tsv of message→reply pairs): raw text, the message alone as
// context, replies of up to 40 tokens trained on, a response set mined
// from the training replies of up to 10 tokens.
func ChatConfig() Config {
	return Config{
		Tokenizer: WordTokens, ContextTurns: 1, MaxContext: 60, MaxReply: 40, MinCount: 2, MaxVocab: 8000,
		Scorer:  seq2seq.Config{Embed: 64, Hidden: 128, Attention: "general"},
		DualDim: 64, DualEmbed: 64, DualHidden: 128,
		TriggerEmbed: 32, TriggerHidden: 32, Threshold: 0.5,
		ResponseMaxTokens: 10, ResponseMinCount: 1,
		Clusters: 100, Seed: 1,
	}
}

// check returns an error for a configuration that cannot work.
func (c Config) check() error {
	if c.Tokenizer != SpaceTokens && c.Tokenizer != WordTokens {
		return fmt.Errorf("smartreply: unknown tokenizer %q (want %s or %s)", c.Tokenizer, SpaceTokens, WordTokens)
	}
	if c.ContextTurns < 0 || c.MaxContext < 0 || c.MaxReply < 0 || c.MaxVocab < 0 || c.Clusters < 0 {
		return fmt.Errorf("smartreply: negative size in %+v", c)
	}
	if c.DualDim > 0 && (c.DualEmbed <= 0 || c.DualHidden <= 0 || c.DualHidden%2 != 0) {
		return fmt.Errorf("smartreply: dual encoder sizes %d, %d, %d (want positive, the hidden width even)", c.DualDim, c.DualEmbed, c.DualHidden)
	}
	if c.TriggerEmbed <= 0 || c.TriggerHidden <= 0 {
		return fmt.Errorf("smartreply: trigger sizes %d, %d (want positive)", c.TriggerEmbed, c.TriggerHidden)
	}
	return nil
}

// Model is a reply suggester: Smart Reply's pipeline (Kannan et al. 2016)
// over a response set. See the package documentation.
type Model struct {
	Config
	Src, Tgt  *data.WordVocab // context words, reply words
	Scorer    *seq2seq.Model
	Dual      *DualEncoder // nil when Config.DualDim is 0
	Trigger   *Trigger
	Responses []Response

	trie    *Trie
	replies [][]int        // the responses' reply ids for the scorer
	ext     map[string]int // with a copying scorer: the ids past the reply vocabulary of the responses' other words
	vectors *mat.Dense     // the responses' dual-encoder vectors (n×D), when Dual is set
}

// newModel builds the networks of a model over the given vocabularies,
// with weights drawn from the config's seed.
func newModel(cfg Config, src, tgt *data.WordVocab) (*Model, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	sc := cfg.Scorer
	sc.SrcVocab, sc.TgtVocab, sc.BOS, sc.EOS = src.Size(), tgt.Size(), data.BOSID, data.EOSID
	scorer, err := seq2seq.NewModel(rng, sc)
	if err != nil {
		return nil, fmt.Errorf("smartreply: scorer: %w", err)
	}
	for _, p := range scorer.Params() { // "encoder.0.fwd.Wx" → "scorer.encoder.0.fwd.Wx"
		p.Name = "scorer." + p.Name
	}
	cfg.Scorer = scorer.Config
	m := &Model{Config: cfg, Src: src, Tgt: tgt, Scorer: scorer}
	if cfg.DualDim > 0 {
		m.Dual = NewDualEncoder(rng, src.Size(), tgt.Size(), cfg.DualEmbed, cfg.DualHidden, cfg.DualDim)
	}
	m.Trigger = NewTrigger(rng, src.Size(), cfg.TriggerEmbed, cfg.TriggerHidden)
	return m, nil
}

// Params returns the parameters of the scorer, the dual encoder and the
// trigger, each named uniquely ("scorer.out.W", "dual.msg.proj.W",
// "trigger.out.W").
func (m *Model) Params() []*nn.Param {
	ps := append([]*nn.Param(nil), m.Scorer.Params()...)
	if m.Dual != nil {
		ps = append(ps, m.Dual.Params()...)
	}
	return append(ps, m.Trigger.Params()...)
}

// ContextIDs returns the encoders' input for a conversation: the context
// words (Context) as ids of the context vocabulary.
func (m *Model) ContextIDs(history []Turn) []int {
	return m.Src.Encode(Context(m.Tokenizer, history, m.ContextTurns, m.MaxContext))
}

// ReplyIDs returns the ids of a reply's words in the reply vocabulary
// (<unk> for a word outside it).
func (m *Model) ReplyIDs(reply string) []int { return m.Tgt.Encode(Tokenize(m.Tokenizer, reply)) }

// Message is a conversation as the scorer reads it: the context's word ids
// and, with a copying scorer (seq2seq's Config.Copy), the reply id each
// context word stands for: its id in the reply vocabulary, the id past it
// of a response's word outside it, or −1.
type Message struct {
	Src, Copy []int
}

// Message returns the scorer's reading of a conversation.
func (m *Model) Message(history []Turn) Message {
	words := Context(m.Tokenizer, history, m.ContextTurns, m.MaxContext)
	msg := Message{Src: m.Src.Encode(words)}
	if m.Scorer.Copy {
		msg.Copy = make([]int, len(words))
		for j, w := range words {
			msg.Copy[j] = m.replyID(w)
			if msg.Copy[j] == data.UnkID {
				msg.Copy[j] = -1
			}
		}
	}
	return msg
}

// replyID returns the scorer's id of a reply word: its id in the reply
// vocabulary, or with copying the id past it of a response's word, or
// <unk>.
func (m *Model) replyID(w string) int {
	id := m.Tgt.ID(w)
	if id == data.UnkID && m.ext != nil {
		if e, ok := m.ext[w]; ok {
			return e
		}
	}
	return id
}

// scorerReplyIDs returns the scorer's ids of a reply's words (replyID).
func (m *Model) scorerReplyIDs(reply string) []int {
	words := Tokenize(m.Tokenizer, reply)
	ids := make([]int, len(words))
	for i, w := range words {
		ids[i] = m.replyID(w)
	}
	return ids
}

// decoder returns the scorer's decoder at the start of a reply to msg.
func (m *Model) decoder(msg Message) *seq2seq.StepDecoder {
	if m.Scorer.Copy {
		return m.Scorer.NewCopyDecoder([][]int{msg.Src}, [][]int{msg.Copy}, len(m.ext))
	}
	return m.Scorer.NewStepDecoder(msg.Src)
}

// SetResponses makes rs the model's response set: it builds the trie of
// their reply ids, computes their dual-encoder vectors and, when
// recluster is set, clusters them (Cluster over the dual-encoder vectors,
// or over the mean of the scorer's reply embeddings without a dual
// encoder) into Config.Clusters clusters drawn from the seed. A response
// with a word outside the reply vocabulary stays in the set but cannot be
// found by the trie search when the vocabulary has no <unk> in training
// (its <unk> is then improbable): mined sets leave such responses out.
func (m *Model) SetResponses(rs []Response, recluster bool) error {
	if len(rs) == 0 {
		return errors.New("smartreply: an empty response set")
	}
	m.Responses = rs
	m.ext = nil
	if m.Scorer.Copy {
		// The responses' words outside the reply vocabulary get ids past
		// it, in order of first appearance: the scorer can copy them.
		m.ext = map[string]int{}
		for _, r := range rs {
			for _, w := range Tokenize(m.Tokenizer, r.Text) {
				if _, ok := m.ext[w]; !ok && m.Tgt.ID(w) == data.UnkID {
					m.ext[w] = m.Tgt.Size() + len(m.ext)
				}
			}
		}
	}
	m.replies = make([][]int, len(rs))
	vocabIDs := make([][]int, len(rs))
	for i, r := range rs {
		m.replies[i], vocabIDs[i] = m.scorerReplyIDs(r.Text), m.ReplyIDs(r.Text)
	}
	m.trie = NewTrie(m.replies)
	m.vectors = nil
	if m.Dual != nil {
		m.vectors = m.ReplyVectors(vocabIDs)
	}
	if recluster {
		v := m.vectors
		if v == nil {
			v = m.meanEmbeddings(vocabIDs)
		}
		assign := Cluster(rand.New(rand.NewPCG(m.Seed, 1)), v, max(m.Clusters, 1), 50)
		for i := range m.Responses {
			m.Responses[i].Cluster = assign[i]
		}
	}
	return nil
}

// ReplyVectors returns the dual encoder's vectors (n×D) of replies given
// as ids, computed in batches of 256. It panics without a dual encoder.
func (m *Model) ReplyVectors(replies [][]int) *mat.Dense {
	return encodeAll(m.Dual.Reply, replies)
}

// MessageVectors returns the dual encoder's vectors of contexts given as
// ids.
func (m *Model) MessageVectors(contexts [][]int) *mat.Dense {
	return encodeAll(m.Dual.Msg, contexts)
}

// encodeAll runs a copy of tower t (its own caches) over seqs in batches;
// an empty sequence reads as one <unk>.
func encodeAll(t *Tower, seqs [][]int) *mat.Dense {
	c := &Tower{Embed: &nn.Embedding{W: t.Embed.W}, RNN: nn.SharedOf(t.RNN), Proj: &nn.Linear{W: t.Proj.W, B: t.Proj.B}}
	_, d := t.Proj.W.Value.Dims()
	out := mat.NewDense(max(len(seqs), 1), d, nil)
	const batch = 256
	for lo := 0; lo < len(seqs); lo += batch {
		part := make([][]int, 0, batch)
		for _, s := range seqs[lo:min(lo+batch, len(seqs))] {
			if len(s) == 0 {
				s = []int{data.UnkID}
			}
			part = append(part, s)
		}
		v := c.Forward(part)
		for i := range part {
			copy(out.RawRowView(lo+i), v.RawRowView(i))
		}
	}
	return out
}

// meanEmbeddings returns the mean of the scorer's target embeddings of
// each reply (n×E): the model's own reply vectors when it has no dual
// encoder.
func (m *Model) meanEmbeddings(replies [][]int) *mat.Dense {
	w := m.Scorer.TgtEmbed.W.Value
	_, e := w.Dims()
	out := mat.NewDense(len(replies), e, nil)
	for i, r := range replies {
		row := out.RawRowView(i)
		for _, id := range r {
			for j, x := range w.RawRowView(id) {
				row[j] += x / float64(len(r))
			}
		}
	}
	return out
}
