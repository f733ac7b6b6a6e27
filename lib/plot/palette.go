package plot

import (
	"image/color"
	"math"
)

// viridis holds nine evenly spaced colours of matplotlib's viridis colour
// map (van der Walt & Smith, 2015; CC0): perceptually uniform, readable in
// grayscale and by colour-blind readers. Colours between them are
// interpolated linearly in RGB, which is close to the original.
var viridis = []color.RGBA{
	rgb(0x440154), rgb(0x472c7a), rgb(0x3b518b), rgb(0x2c718e), rgb(0x21908d),
	rgb(0x27ad81), rgb(0x5cc863), rgb(0xaadc32), rgb(0xfde725),
}

// ramp is a palette.Palette of n colours interpolated along stops.
type ramp struct{ colors []color.Color }

func (r ramp) Colors() []color.Color { return r.colors }

// newRamp returns n colours from stops[0] to stops[len-1].
func newRamp(stops []color.RGBA, n int) ramp {
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i] = interpolate(stops, float64(i)/float64(max(n-1, 1)))
	}
	return ramp{cs}
}

// interpolate returns the colour at t ∈ [0, 1] along stops.
func interpolate(stops []color.RGBA, t float64) color.RGBA {
	t = math.Min(math.Max(t, 0), 1) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	a, b := stops[i], stops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 255}
}

// grays runs from black (low values) to white (high), as in the attention
// figures of Bahdanau et al. (2015), "Neural Machine Translation by Jointly
// Learning to Align and Translate", Figure 3.
var grays = []color.RGBA{rgb(0x000000), rgb(0xffffff)}

// luminance returns the relative luminance of c in [0, 1] (ITU-R BT.709
// weights on the gamma-encoded channels, close enough to choose black or
// white text).
func luminance(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}
