package charrnn

import "gonum.org/v1/gonum/mat"

// The recurrent state a model carries from one chunk of text to the next
// belongs to its lanes. When LossGrad shares the lanes among replicas, each
// replica carries the state of its own lanes; a checkpoint must hold all of
// them, and a resumed training must hand each replica its own again, or
// the resumed run is not the run that never stopped.

// carried returns the state layer i carries into the next chunk, over all
// B lanes (B×H, nil when blank): the model's own, or its replicas' stacked
// lane by lane.
func (m *Model) carried(i int) (h, c *mat.Dense) {
	if len(m.replicas) == 0 {
		return m.layers[i].State()
	}
	var hs, cs []*mat.Dense
	for _, r := range m.replicas {
		h, c := r.layers[i].State()
		hs, cs = append(hs, h), append(cs, c)
	}
	return m.stackLanes(hs), m.stackLanes(cs)
}

// stackLanes stacks the replicas' parts (one (hi−lo)×H matrix each, nil
// for zeros) into one B×H matrix, or returns nil when every part is nil.
func (m *Model) stackLanes(parts []*mat.Dense) *mat.Dense {
	var out *mat.Dense
	for k, p := range parts {
		if p == nil {
			continue
		}
		_, cols := p.Dims()
		if out == nil {
			out = mat.NewDense(m.lanes[len(parts)], cols, nil)
		}
		out.Slice(m.lanes[k], m.lanes[k+1], 0, cols).(*mat.Dense).Copy(p)
	}
	return out
}

// gatherState sets the model's own layers to the state its replicas carry,
// before LossGrad splits the lanes anew.
func (m *Model) gatherState() {
	if len(m.replicas) == 0 {
		return
	}
	for i, l := range m.layers {
		l.SetState(m.carried(i))
	}
}

// shareState hands each replica the rows of its lanes of the state the
// model's own layers hold (restored from a checkpoint, or gathered).
func (m *Model) shareState() {
	b := m.lanes[len(m.replicas)]
	for i, l := range m.layers {
		h, c := l.State()
		for k, r := range m.replicas {
			r.layers[i].SetState(laneRows(h, b, m.lanes[k], m.lanes[k+1]), laneRows(c, b, m.lanes[k], m.lanes[k+1]))
		}
	}
}

// laneRows returns rows lo…hi−1 of s, a state over b lanes; nil when s is
// nil or is not over b lanes.
func laneRows(s *mat.Dense, b, lo, hi int) *mat.Dense {
	if s == nil {
		return nil
	}
	if r, c := s.Dims(); r == b {
		return s.Slice(lo, hi, 0, c).(*mat.Dense)
	}
	return nil
}
