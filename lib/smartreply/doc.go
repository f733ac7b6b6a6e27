// Package smartreply suggests short replies to a message, the way Gmail's
// Smart Reply does (Kannan et al. 2016, "Smart Reply: Automated Response
// Suggestion for Email", KDD): the talk's first slide, as a pipeline of
// four parts.
//
//	message ──► trigger ──no──► nothing
//	               │yes
//	               ▼
//	     LSTM scorer, beam search over the response set's trie
//	               │ the best responses, by log P(reply | message)
//	               ▼
//	     diversity: the best response of each semantic cluster
//	               │
//	               ▼
//	     three suggestions
//
// # The response set
//
// Suggestions come from a fixed set of replies, never generated word by
// word freely, so that each is a sentence a person wrote. MineResponses
// builds the set from training replies: grouped by Key (lower-case, no
// punctuation), short (at most Config.ResponseMaxTokens tokens), frequent
// (at least ResponseMinCount times), each shown in its most frequent
// spelling. GivenResponses takes a set as it is: Dialog bAbI's candidate
// file, which every answer of that task is drawn from.
//
// # The scorer and the search
//
// The scorer is the encoder–decoder of lib/seq2seq (a bidirectional LSTM
// encoder of the context, an LSTM decoder with attention over it), trained
// to maximise log P(reply | context). Finding the best responses does not
// score each one: the set's token sequences form a Trie, and Trie.Search
// runs beam search over it, keeping only prefixes that lead to a response,
//
//	log P(r | m) = Σ_t log P(r_t | r_<t, m)
//
// so that the work is the beam's width times the longest response's
// length, whatever the set's size. A DualEncoder (Henderson et al. 2017,
// "Efficient Natural Language Response Suggestion for Smart Reply") scores
// every response by a dot product of two vectors instead, m·rᵀ, the
// responses' vectors computed once: a faster first stage whose best few
// the LSTM can rerank (Stage… constants of SuggestOptions).
//
// # Diversity
//
// Two suggestions that say the same thing waste a slot. The response set
// is clustered (Cluster: spherical k-means over the dual encoder's reply
// vectors), and Diverse keeps only the best hit of each cluster. Smart
// Reply clusters by label propagation from hand-labelled seeds; without
// labels, the model's own reply vectors stand in.
//
// # Triggering
//
// Not every message wants a short reply. A small feed-forward network
// (Trigger) over the mean of the message's word embeddings gives P(suggest
// | message), trained on which messages got a short reply; suggestions show
// when it reaches Config.Threshold.
//
// # The context
//
// A Model reads the conversation before the reply as one token sequence
// (Context): each turn after a mark, <them> for the other side, <me> for
// the replier's own earlier turns, <kb> for a knowledge-base fact,
//
//	<them> hi <me> hello what can i help you with today <them> … <kb> resto_rome_cheap_thai_2stars R_rating 2 …
//
// the last Config.ContextTurns turns (1 for open chat: the message alone,
// as Smart Reply; all for Dialog bAbI, whose bot must remember the
// dialog and the facts its API calls returned), at most MaxContext tokens,
// the oldest chat turns dropped before any fact.
//
// # Training and evaluation
//
// A Trainer feeds all three networks from one batch per step (scorer:
// mean negative log-likelihood per reply token; dual encoder: cross-entropy
// of each message's reply among the batch's; trigger: cross-entropy of
// "short reply") and embeds lib/training's loop, which every model of
// seq2go trains on (Run, Ctrl-C, validation, checkpoints, exact resume;
// `seq2go train reply` on the command line). A model's file is one
// checkpoint.State (Save, Load; Open and TrainConfigOf to resume), and
// every checkpoint the loop writes is clustered and ready to suggest. Data
// parallelism is the scorer's and the dual encoder's LossGrad: a batch
// shared among model replicas (nn.ShareOut), their gradients added up
// (nn.AddGrads).
//
// Model.Accuracy is Dialog bAbI's per-response and per-dialog accuracy
// (Bordes, Boureau & Weston 2017, "Learning End-to-End Goal-Oriented
// Dialog"); RecallAtK the 1-of-100 ranking of Henderson et al. (2017), for
// the LSTM, the dual encoder and the TFIDF baseline alike (ScoreFunc);
// Model.Diversity the share of suggestion triples from three distinct
// clusters.
//
// # Conventions
//
// As in lib/nn: a batch is B×d, a sequence batch is time-major, weights
// are in×out. Token sequences are []int of vocabulary ids; contexts and
// replies have their own vocabularies (Model.Src, Model.Tgt). Bad data and
// bad configurations are errors; shape mismatches panic with nn.ErrShape.
package smartreply
