package kernel

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// Spec is the kernel.json of a kernelspec.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// NewSpec returns the kernelspec that runs exe (an absolute path) as
// `exe kernel --connection-file {connection_file}`.
func NewSpec(exe string) Spec {
	return Spec{
		Argv:          []string{exe, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   "Go (seq2go)",
		Language:      "go",
		InterruptMode: "message",
	}
}

// Install writes spec's kernel.json, logo-32x32.png and logo-64x64.png into
// dir (a kernels/NAME directory of a Jupyter data dir), creating it.
func Install(dir string, spec Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	for _, n := range []int{32, 64} {
		f, err := os.Create(filepath.Join(dir, "logo-"+itoa(n)+"x"+itoa(n)+".png"))
		if err != nil {
			return err
		}
		err = png.Encode(f, Logo(n))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int) string { return jsonInt(n) }

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Logo draws the kernel's n×n logo: a Go-blue disc holding a white arrow
// that leaves a dot (a sequence going on), antialiased by 4×4 supersampling.
func Logo(n int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	const ss = 4
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var inDisc, white int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					// u, v in [-1, 1]
					u := (float64(x)+(float64(sx)+0.5)/ss)/float64(n)*2 - 1
					v := (float64(y)+(float64(sy)+0.5)/ss)/float64(n)*2 - 1
					if u*u+v*v > 1 {
						continue
					}
					inDisc++
					if logoMark(u, v) {
						white++
					}
				}
			}
			if inDisc == 0 {
				continue
			}
			a := float64(inDisc) / ss / ss
			w := float64(white) / float64(inDisc)
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-w) + 255*w)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(blue.R), mix(blue.G), mix(blue.B), uint8(math.Round(255 * a))})
		}
	}
	return img
}

// logoMark reports whether (u, v) lies on the white mark: a dot, a bar and
// an arrow head.
func logoMark(u, v float64) bool {
	dot := func(cu, cv, r float64) bool { return (u-cu)*(u-cu)+(v-cv)*(v-cv) < r*r }
	switch {
	case dot(-0.55, 0, 0.17):
		return true
	case u > -0.55 && u < 0.3 && math.Abs(v) < 0.07:
		return true
	case u >= 0.2 && u < 0.65 && math.Abs(v) < (0.65-u)*0.8:
		return true
	}
	return false
}
