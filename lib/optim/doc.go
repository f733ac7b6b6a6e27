/*
Package optim updates a model's parameters from their gradients: the
optimizers SGD, Momentum (with Nesterov's variant), Adagrad and Adam, gradient
clipping, and learning-rate schedules, all over a []*nn.Param.

# The training loop

Every model in seq2go is trained by the same loop. Forward computes the
loss; Backward adds the gradient of the loss into every Param.Grad; clipping
bounds the gradient so one bad batch cannot blow the weights up; Step moves
every Param.Value against its gradient; ZeroGrad clears the gradients for the
next batch:

	params := model.Params()
	opt := optim.DefaultAdam(params, 1e-3)
	sched := optim.Warmup{Steps: 100, Then: optim.Constant{Rate: 1e-3}}
	for step := 0; step < 1000; step++ {
		loss := model.Forward(x, y)      // forward:  the loss, caching activations
		model.Backward()                 // backward: Param.Grad += ∂loss/∂Param.Value
		optim.ClipGlobalNorm(params, 5)  // clip:     rescale so that ‖g‖₂ ≤ 5
		opt.SetLR(sched.LR(opt.Steps())) // schedule: the rate for this step
		opt.Step()                       // update:   θ ← θ − lr·(direction from g)
		opt.ZeroGrad()                   // clear:    g ← 0 for the next batch
		fmt.Println(step, loss)
	}

The package Example runs this loop on a one-weight model.

Step does not clear the gradients, exactly as in PyTorch: nn layers add into
Param.Grad, so the gradients of several Backward calls (micro-batches) sum
until ZeroGrad is called. Forgetting ZeroGrad is the classic bug: every step
then uses the sum of all the gradients so far.

# The update rules

With g the gradient of one parameter, θ its value and every operation taken
element by element:

	SGD       θ ← θ − lr·g
	Momentum  v ← μ·v + g;            θ ← θ − lr·v                 (Nesterov: θ ← θ − lr·(g + μ·v))
	Adagrad   s ← s + g²;             θ ← θ − lr·g / √(s + ε)
	Adam      m ← β₁·m + (1−β₁)·g;    v ← β₂·v + (1−β₂)·g²
	          θ ← θ − lr·m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)

Each type's documentation gives the details and the references. The updates
are loops over the matrices' backing slices (they honour the stride of a
sliced matrix) and allocate nothing, so Step costs a few passes over memory.

# State and checkpoints

An optimizer keeps per-parameter state (Momentum's v, Adagrad's s, Adam's m
and v) and a step counter t. State returns all of it as a []*nn.Param, so the
checkpoint code that saves a model's parameters saves the optimizer too. The
names are the optimizer's name, the kind of state and the parameter's name:

	adam.step           1×1, the number of Steps taken so far (a float64 holding an integer)
	adam.m/<name>       same shape as the parameter <name>
	adam.v/<name>

State returns the live matrices: restoring is copying saved values into the
returned Params' Value (or pointing Value at a matrix of the same shape).
Step reads the step counter back from its 1×1 matrix every time, so a restored
optimizer continues exactly where the saved one stopped, bias correction
included. Names are unique when the parameters' names are.

# Conventions

Shapes are rows×cols; a parameter's Value and Grad have the same shape, and a
mismatch (including a restored state matrix of the wrong shape) panics with
nn.ErrShape. Other programming errors panic with a value prefixed "optim: ".
Optimizers are not safe for concurrent use; sum the gradients of data-parallel
replicas into the shared Params before Step.
*/
package optim
