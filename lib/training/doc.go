// Package training is the one training loop of seq2go: every trained model
// (lib/charrnn, lib/translate, and the models that come next) runs on a
// Loop, which owns what is the same for all of them — steps and epochs, the
// context that Ctrl-C or a notebook's ■ cancels, gradient clipping, a guard
// against NaN and infinite values, the smoothed loss, progress reports,
// validation every N steps, periodic and final checkpoints, and exact
// resume — while the model owns its maths and its data.
//
// # Plugging a model in
//
// A model is anything with two methods (the Model interface):
//
//	Params() []*nn.Param                        // the trainable parameters, uniquely named
//	LossGrad(step int) (loss float64, tokens int) // the loss of step's batch; adds its gradient into Params' Grad
//
// LossGrad reads the batch of the given step (the number of steps taken so
// far) from the model's own data, runs Forward and Backward, and returns the
// loss and how many tokens the batch held (for the speed). Data parallelism
// happens inside it, as the model likes (lib/charrnn and lib/seq2seq share a
// batch among replicas, one goroutine each). Then
//
//	loop := training.NewLoop(model, optim.DefaultAdam(model.Params(), 2e-3))
//	loop.Clip = training.Clip{Norm: 5}
//	err := loop.Run(ctx, 3000, func(p training.Progress) { bar.Update(p) })
//
// trains 3000 steps. A model says more by implementing optional interfaces,
// each one method or two:
//
//	Validator     Validate(full bool) Validation    held-out scores: a quick sample during the run, all of it at the end
//	Epocher       StepsPerEpoch() int               steps in one pass over the data (--epochs, Progress.Epoch)
//	Scheduler     Schedule(step, steps int)         settings that follow the run (a learning-rate or clip schedule)
//	Checkpointer  SaveState / RestoreState          its kind, config and own training state in a checkpoint
//	Sharder       Shard(k, n int) error             computes part k of n of every batch (one rank of an MPI job)
//	Forker        Fork(k, n int) Model              worker k of n with weights of its own (asynchronous workers)
//
// lib/charrnn's Trainer is the worked example (docs/adding-a-model.md walks
// through it): it embeds a *Loop, so that trainer.Run, trainer.Step and
// trainer.Save are the loop's, and it is the loop's Model itself.
//
// # One step
//
//	zero the gradients
//	loss, tokens = Model.LossGrad(Step)        or Source.LossGrad(Step) when set: a parameter server
//	loss, tokens = Exchange.Exchange(...)      when set: an all-reduce across processes
//	stop if loss or a gradient is NaN or ±Inf  (nothing is applied; the weights stay those of the last step)
//	clip the gradients                         (Clip: by value, then by global norm)
//	Opt.Step()
//	Step++; SmoothLoss ← β·SmoothLoss + (1−β)·loss
//
// The smoothed loss is one exponential moving average, β = Smoothing
// (min-char-rnn's 0.999 of the summed chunk loss, the translator's 0.98). It
// starts where the model sets SmoothLoss (min-char-rnn: the loss of a
// uniform guess, −log(1/V)·T), or at the first loss when it is 0.
//
// # Stopping
//
// Run checks its context before every step: cancelled, it returns ctx's
// error with the weights of the last whole step (after writing the final
// checkpoint when Out is set). A loss or gradient that is not finite stops
// it with a *NonFiniteError that names the step and what was not finite;
// that step is never applied and no checkpoint is written over the last
// good one (checkpoint.State.Write refuses non-finite weights as well).
//
// # Checkpoints and exact resume
//
// With Out set, Run writes the training state every SaveEvery steps and
// when it ends; Save writes it on demand. The state (checkpoint.State) holds
// the weights, the optimizer's state, Step and SmoothLoss, and what the
// model adds through Checkpointer: its kind, configuration and vocabulary,
// its position in the data, its random generator, carried recurrent state.
// Restore puts the training half back into a loop whose model was rebuilt
// from the same file, and the run goes on bit for bit as if it had never
// stopped.
//
// # Many processes
//
// Exchange, when set, is called after LossGrad and before the finiteness
// check, the clip and the optimizer: the place for a gradient all-reduce
// across processes (MPI) or a push to and pull from a parameter server. It
// returns the loss (averaged over the processes, say) that the loop then
// checks and smooths, so that every process stops at the same step. Each
// process computes its part of every batch (Sharder): lib/mpi's AllReduce
// and cmd/seq2go's driver under mpirun.
//
// Source, when set, replaces the Model's LossGrad as the origin of each
// step's gradient: lib/paramserver's Server, whose workers (Forker) compute
// on batches of their own and copies of the weights, asynchronously, and
// hand it one gradient per step to apply with the loop's optimizer.
//
// # Progress
//
// Run reports a Progress after every step: the step and the run's target,
// the loss and the smoothed loss, the speed, the time left, and on the steps
// it validated the Validation. A Bar draws Progress values: in a notebook or
// the REPL one output redrawn in place, on a terminal a bar redrawn in place,
// elsewhere a log line every N steps. Trainers that have no steps (word2vec's
// lock-free threads) report Progress in their own unit (words).
//
// # Interpreter
//
// Nothing here is generic, so the REPL and notebooks drive a Loop as
// compiled code does: trainer.Run(cell.Context(), 3000, bar.Update). A
// Model written in a cell plugs in too: a type with Params and LossGrad
// methods, passed to NewLoop.
package training

// BUG(seq2go): A Model written in the interpreter (yaegi v0.16.1) reaches
// the loop through a wrapper that has the methods of Model alone, so the
// loop does not see its Validate, StepsPerEpoch, Schedule, SaveState or
// RestoreState methods. Models of compiled packages are not affected.
