package metrics

import "math"

// Perplexity returns the log perplexity (mean negative log-likelihood per
// token, in nats) and the perplexity of a model that gave a test set of
// tokens target tokens a total negative log-likelihood of totalNLL nats:
//
//	log PPL = totalNLL / tokens,     PPL = exp(log PPL)
//
// With no tokens both are NaN.
func Perplexity(totalNLL float64, tokens int) (logPPL, ppl float64) {
	if tokens <= 0 {
		return math.NaN(), math.NaN()
	}
	logPPL = totalNLL / float64(tokens)
	return logPPL, math.Exp(logPPL)
}
