// Package metrics scores models: corpus BLEU as sacreBLEU computes it by
// default, perplexity, a classifier's confusion matrix (accuracy, and
// recall and precision per label), and a forecast's MAE and RMSE.
//
// # BLEU
//
// BLEU (Papineni, Roukos, Ward & Zhu 2002, "BLEU: a Method for Automatic
// Evaluation of Machine Translation") compares a system's translations with
// reference translations over the whole corpus at once. For n = 1 … 4 it
// counts the system's n-grams and how many of them occur in the reference,
// each n-gram clipped to the number of times it occurs there:
//
//	p_n = Σ_sentences Σ_g min(count_hyp(g), count_ref(g)) / Σ_sentences Σ_g count_hyp(g)
//
// and combines the four precisions by a geometric mean with a brevity
// penalty for systems that translate too short:
//
//	BP   = 1                 if c ≥ r
//	     = exp(1 − r/c)      if 0 < c < r     (0 when c = 0)
//	BLEU = 100 · BP · exp(¼ Σ_n log p_n)
//
// where c is the number of system tokens and r the number of reference
// tokens in the corpus (with several references, each sentence counts the
// reference length closest to its own, the shorter one on a tie, and
// n-grams are clipped to their largest count in any one reference). There
// is no smoothing: a corpus with no matching 4-gram scores 0, as in
// sacreBLEU's default.
//
// # Tokenisation
//
// BLEU counts tokens, so its value depends on the tokeniser. Tokenize13a is
// sacreBLEU's default "13a", the tokeniser of the mteval-v13a.pl script of
// the WMT evaluations (Post 2018, "A Call for Clarity in Reporting BLEU
// Scores"). It removes <skipped>, joins "-\n" line breaks, unescapes
// &quot; &amp; &lt; &gt;, and then applies four regular expressions:
//
//	([\{-~\[-` -&\(-\+:-@/])  →  " $1 "      split off punctuation and symbols
//	([^0-9])([\.,])          →  "$1 $2 "    a period or comma not after a digit
//	([\.,])([^0-9])          →  " $1 $2"    a period or comma not before a digit
//	([0-9])(-)               →  "$1 $2 "    a dash after a digit
//
// so "3.5" and "1,000" stay whole while "end." splits into "end" and ".".
//
// # Perplexity
//
// A model's log perplexity on a test set is its mean negative
// log-likelihood per target token, in nats, and the perplexity its
// exponential:
//
//	log PPL = (Σ_tokens −log p(y_t | y_<t, x)) / N,     PPL = exp(log PPL)
//
// Lengths that do not match are programming errors and panic.
package metrics
