// Package memnet is the end-to-end memory network (Sukhbaatar, Szlam, Weston
// & Fergus 2015, "End-To-End Memory Networks", "MemN2N") for the bAbI
// question-answering tasks: it reads a story, a sentence a memory, and
// answers a question about it by looking at the memories several times,
// each look (a hop) steered by what the last one found. Every answer
// carries its looks: for each hop, a weight on each sentence.
//
//	                                    hop 1  hop 2  hop 3
//	Mary walked to the bathroom.         0.00   0.00   0.00
//	Sandra went to the garden.           0.00   0.00   0.79
//	Daniel went back to the garden.      0.00   0.00   0.00
//	Sandra took the milk there.          0.99   1.00   0.21
//	Where is the milk?  → garden
//
// (the model of task 2 that tutorial chapter 05 trains: the first hops find
// the milk, the last where Sandra went).
//
// # The model
//
// The memory has M = 50 slots (Config.Memory). The story's sentences
// x_1 … x_n, the latest M at most, fill n of them and are embedded twice
// per hop, as keys m_i and values c_i, the question q once, as the first
// state u¹ (see [Encoder] for the sum of word embeddings, with position
// encoding, and the temporal encoding T that tells the sentences' order);
// the other M − n slots are empty, m_i = c_i = 0:
//
//	m_i = Σ_j l_j ⊙ Aᵏ[x_ij] + T_Aᵏ[age_i]     c_i = Σ_j l_j ⊙ Cᵏ[x_ij] + T_Cᵏ[age_i]     (1×d)
//	u¹  = Σ_j l_j ⊙ B[q_j]
//
// Hop k = 1 … K attends over the memory with the state and adds what it
// read to it:
//
//	p_i    = softmax_i(uᵏ·m_i)   i = 1 … M  (linear start: p_i = uᵏ·m_i)
//	oᵏ     = Σ_i p_i · c_i
//	uᵏ⁺¹   = uᵏ + oᵏ                         (layer-wise tying: uᵏ·H + oᵏ)
//	â      = softmax(u^{K+1}·W)             over the vocabulary
//
// and the loss is the cross-entropy of the answer, summed over a batch.
// The weights are tied one of two ways (Config.Tying): adjacent, Aᵏ⁺¹ =
// Cᵏ, B = A¹ and W = C^Kᵀ, so that K+1 embeddings E_0 … E_K serve all
// hops; or layer-wise, one A and one C for every hop, with B, W and a d×d
// H of their own. Shapes: B questions a batch, M memories, d the embedding
// width (20 for a model of one task, 50 for one of all 20), V the
// vocabulary.
//
// The softmax runs over all M slots, as in the paper, which pads every
// story to M sentences with a null symbol whose embedding is held at zero:
// an empty slot scores 0, so a hop can put its weight on "nothing" by
// scoring the sentences below 0, and a story of a few sentences is read
// differently from a long one. (Leaving the empty slots out of the softmax
// cost 4.6 points of mean validation error over the 20 tasks in our runs:
// 23.1 % against 18.5 %, one seed.) Here a sentence is the list of its
// word ids, so no null word is needed inside sentences: an unknown word is
// left out. A list answer ("apple,milk" in task 8, "n,w" in task 19) is one
// word of the vocabulary, as in the paper.
//
// # Training
//
// The paper's recipe (section 4.2): the last 10 % of each training file
// held out for validation; SGD on batches of 32 with the summed (not
// averaged) loss, learning rate 0.01 halved every 25 epochs for 100
// epochs; gradients clipped to global norm 40; weights from N(0, 0.1²). Its
// best model on the 1k data ("PE LS RN") adds position encoding, linear
// start (the hops' softmax removed, learning rate 0.005, until the
// validation loss stops falling) and random noise (up to 10 % empty
// memories scattered among the sentences in training, so that the
// temporal encoding does not learn the stories' lengths by heart), and is
// [DefaultConfig]. Training is sensitive to the initial weights; the
// paper keeps the best of 10 runs.
//
// # Blocks
//
// [Encoder] (words → sentence vector), slots (sentences → memory, plus the
// temporal encoding) and attention (one hop) each have a Forward and a
// Backward written out and a gradient check; [Model.Loss] and
// [Model.Backward] chain them. A sentence that several questions of a
// batch remember is encoded once. [Model.LossGrad] shares a batch out among
// model replicas on several cores.
//
// Reference implementation: facebook/MemNN, MemN2N-babi-matlab.
package memnet
