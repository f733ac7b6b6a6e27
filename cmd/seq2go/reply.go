package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/smartreply"
)

func init() {
	commands["reply"] = command{"suggest up to three replies to each message of standard input (--model FILE [--stats])", replyLines}
}

// suggestFlags are the search options shared by reply and bench reply.
type suggestFlags struct {
	model       *string
	stage       *string
	width, n    *int
	rerank      *int
	alpha       *float64
	allClusters *bool
}

func addSuggestFlags(fs *flag.FlagSet) suggestFlags {
	return suggestFlags{
		model:       fs.String("model", "", "reply model to load (from seq2go train reply)"),
		stage:       fs.String("stage", smartreply.StageTrie, "how to rank the response set: trie (beam search of the LSTM over the set's trie), dual (the dual encoder's dot products), dual+lstm (the dual encoder's best --rerank, ranked by the LSTM) or exhaustive (the LSTM on every response)"),
		width:       fs.Int("width", 16, "beam width of the trie search"),
		n:           fs.Int("hits", 16, "ranked responses the diversity rule chooses from"),
		rerank:      fs.Int("rerank", 32, "dual+lstm: the dual encoder's best this many go to the LSTM"),
		alpha:       fs.Float64("alpha", 0, "length normalisation: rank by log P / ((5+|r|)/6)^alpha (0: log P)"),
		allClusters: fs.Bool("all-clusters", false, "turn the diversity rule off: show the best three even when they share a cluster"),
	}
}

func (f suggestFlags) options() smartreply.SuggestOptions {
	return smartreply.SuggestOptions{
		Stage:       *f.stage,
		Search:      smartreply.SearchOptions{Width: *f.width, N: *f.n, Alpha: *f.alpha},
		Rerank:      *f.rerank,
		AllClusters: *f.allClusters,
	}
}

func (f suggestFlags) load(cmd string) (*smartreply.Model, error) {
	if *f.model == "" {
		return nil, usageError{cmd + ": --model FILE is required (train one with seq2go train reply)"}
	}
	return smartreply.Load(*f.model)
}

func replyLines(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reply", stderr)
	sf := addSuggestFlags(fs)
	stats := fs.Bool("stats", false, "report each message's latency, and a summary at the end, on standard error")
	always := fs.Bool("always", false, "turn the trigger off: suggest for every message")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: seq2go reply --model FILE [flags] < messages

Each input line is a message from the other side; up to three suggested
replies follow it, one a line ("score  cluster  text"), then an empty line
(only the empty line when the trigger says the message needs no reply).
Within a conversation the context accumulates: a line starting with "> "
is what you answered (added as your turn, no suggestions), a line starting
with "+ " a knowledge-base fact; a blank line ends the conversation. A
model reads as many of the last turns as it was trained with (Dialog bAbI:
all of them; open chat: the message alone).

Flags:
`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := sf.load("reply")
	if err != nil {
		return err
	}
	opt := sf.options()
	opt.AlwaysShow = *always
	return replyStream(m, os.Stdin, stdout, stderr, opt, *stats)
}

// replyStream reads conversations from in and writes the suggestions for
// each message to out (see replyLines' usage text).
func replyStream(m *smartreply.Model, in io.Reader, out, stderr io.Writer, opt smartreply.SuggestOptions, stats bool) error {
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	var history []smartreply.Turn
	var latencies []time.Duration
	for lineNo := 1; ; lineNo++ {
		line, err := r.ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading standard input: %w", err)
		}
		if line == "" && err == io.EOF {
			break
		}
		text := strings.TrimSpace(line)
		switch {
		case text == "":
			history = history[:0]
		case strings.HasPrefix(text, "> "):
			history = append(history, smartreply.Turn{Mark: smartreply.Me, Text: strings.TrimSpace(text[2:])})
		case strings.HasPrefix(text, "+ "):
			history = append(history, smartreply.Turn{Mark: smartreply.KB, Text: strings.TrimSpace(text[2:])})
		default:
			history = append(history, smartreply.Turn{Mark: smartreply.Them, Text: text})
			start := time.Now()
			s, serr := m.Suggest(history, opt)
			took := time.Since(start)
			if serr != nil {
				return fmt.Errorf("line %d: %w", lineNo, serr)
			}
			latencies = append(latencies, took)
			for _, h := range s.Top {
				fmt.Fprintf(w, "%8.3f  c%-3d  %s\n", h.Score, h.Cluster, m.Responses[h.Response].Text)
			}
			fmt.Fprintln(w)
			if err := w.Flush(); err != nil {
				return err
			}
			if stats {
				fmt.Fprintf(stderr, "line %d: %s, P(suggest) %.3f, %d ranked\n", lineNo, ms(took.Seconds()), s.Trigger, len(s.Hits))
			}
		}
		if err == io.EOF {
			break
		}
	}
	if stats && len(latencies) > 0 {
		fmt.Fprintf(stderr, "%d messages: latency median %s, mean %s, 90th percentile %s (stage %s, one goroutine)\n",
			len(latencies), ms(quantile(latencies, 0.5).Seconds()), ms(mean(latencies).Seconds()), ms(quantile(latencies, 0.9).Seconds()), stageName(opt))
	}
	return w.Flush()
}

// quantile returns the q-quantile of ds (nearest rank).
func quantile(ds []time.Duration, q float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

func mean(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t / time.Duration(len(ds))
}

func stageName(opt smartreply.SuggestOptions) string {
	switch opt.Stage {
	case "", smartreply.StageTrie:
		return fmt.Sprintf("trie, width %d", opt.Search.Width)
	case smartreply.StageDualLSTM:
		return fmt.Sprintf("dual+lstm, %d reranked", opt.Rerank)
	}
	return opt.Stage
}
