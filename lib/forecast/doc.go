// Package forecast is the talk's other use of an RNN: measurements over
// time. It reads a regular series (daily weather, monthly CO₂; see Series),
// forecasts the next value of one column with a recurrent network over a
// window of past values (Model), and scores the forecasts against the
// baselines every forecaster must beat:
//
//	persistence       ŷ_t = y_{t−1}                     tomorrow as today
//	seasonal naive    ŷ_t = y_{t−s}                     s = 365 days or 12 months
//	linear AR(p)      ŷ_t = c + Σ_{k≤p} a_k·y_{t−k}     least squares (gonum)
//
// with the mean absolute error and the root mean squared error over the
// test period (lib/metrics):
//
//	MAE = Σ_t |ŷ_t − y_t| / N,      RMSE = √(Σ_t (ŷ_t − y_t)² / N)
//
// Time is never shuffled across periods: the model and the baselines are
// fitted on the early years, their settings chosen on a validation period
// after them (the AR's order, the network's training length), and scored
// once on the last period (Split). Missing observations — five months of
// the CO₂ record — are filled by linear interpolation so that windows stay
// regular, flagged in the input, and never used as a target or scored.
package forecast
