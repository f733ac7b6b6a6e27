/*
Package quant is int8 inference for the models of lib/nn and lib/seq2seq:
GNMT's quantized translation (Wu et al. 2016, "Google's Neural Machine
Translation System", arXiv:1609.08144, §6), in which the products of the
recurrent layers and of the output layer run on 8-bit integers and
everything else stays in floating point.

	q, err := quant.Quantize(m)  // m: a trained *seq2seq.Model
	tr := q.Greedy(src)          // the same API, int8 products

# Quantization

A weight matrix W (in×out, as everywhere in lib/nn) is quantized once, per
output column j, with a symmetric scale t_j; an activation x (B×in) is
quantized at every call, per row i, with its own scale s_i:

	t_j  = max_p |W_pj|,    Q_pj = round(127·W_pj / t_j)      (Matrix)
	s_i  = max_p |x_ip|,    q_ip = round(127·x_ip / s_i)
	y_ij = (Σ_p q_ip·Q_pj) · s_i·t_j / 127²  +  b_j             (Linear)

The sum is exact in int32 (lib/blas's Int8Gemm: AVX-512 VNNI, AVX2 or a
Go loop); only the rescaling and the bias are float64. Each quantized value
is within half a step of the original, |W_pj − t_j·Q_pj/127| ≤ t_j/254,
which bounds the error of a product:

	|x·W − x̂·Ŵ|_ij ≤ (s_i/254)·Σ_p |Ŵ_pj| + (t_j/254)·Σ_p |x_ip|

A column or a row of zeros gets scale 0 and stays exactly zero. Per-row
and per-column scales keep one large weight or activation from flattening
all the others to zero, which a single scale per matrix would do.

# What runs in int8

LSTM and GRU compute x_t·Wx and h_{t−1}·Wh in int8 and their gates (σ,
tanh, the cell update) in float64, with exactly the equations of nn.LSTM
and nn.GRU; Bidirectional and Stack wrap them as lib/nn's do, with the
same padding by lengths and the same residual connections. Quantize turns
a seq2seq.Model into one whose Infer (a seq2seq.Inference) runs the
encoder, the decoder cell, Combine and Out this way. The embedding tables
are look-ups, not products, and int8 does not make them faster, but they
are a third of a translation model's weights: Embedding keeps them as int8
rows with a scale a row (|W_vj − Ŵ_vj| ≤ s_v/254), an eighth of the
float64 table. Attention and the softmax stay float64, as in GNMT, where
they are a small part of the work but sensitive to rounding.

A model trained with quantization-aware clipping (seq2seq.Model.SetClip:
LSTM cells and residual sums within [−δ, δ], logits within ±25) keeps its
bounds in int8: the quantized LSTM and Stack clip as nn's do, and the
decoder clips the logits.

Stats, StaircasePlot, WeightHistogram and ErrorPlot measure and draw what
quantization does to the weights (the talk's section 5).

# Conventions

As in lib/nn: a batch is B×d, one example a row; a sequence batch is T
steps of B×d; weights are in×out. The quantized layers are snapshots: they
copy the weights when made and never see later training. They keep no
state and no cache, so one layer may be used from many goroutines at once;
every matrix they return is new and belongs to the caller. Shape mismatches
panic with nn.ErrShape; a layer that cannot be quantized is an error.
*/
package quant
