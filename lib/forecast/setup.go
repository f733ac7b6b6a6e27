package forecast

import (
	"fmt"
	"time"
)

// Setup is a forecasting task on one of the embedded series: the series,
// the forecaster's configuration, the dates that start the validation and
// test periods, and the AR orders the baseline chooses from.
type Setup struct {
	Name      string
	Unit      string // of the target
	Series    *Series
	Config    Config
	Val, Test time.Time
	Orders    []int
}

// Setups lists the tasks NewSetup knows.
var Setups = []string{"new-york", "seattle", "co2"}

// NewSetup returns a task by name:
//
//	new-york, seattle   tomorrow's maximum temperature (°C); train 2012–2013,
//	                    validate 2014, test 2015 (WeatherConfig)
//	co2                 next month's CO₂ (ppm) at Mauna Loa; train 1958–2011,
//	                    validate 2012–2015, test 2016-01 … 2020-04 (CO2Config)
func NewSetup(name string) (*Setup, error) {
	date := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	var (
		st  *Setup
		err error
	)
	switch name {
	case "new-york", "seattle":
		city := map[string]string{"new-york": "New York", "seattle": "Seattle"}[name]
		st = &Setup{Name: name, Unit: "°C", Config: WeatherConfig(), Val: date("2014-01-01"), Test: date("2015-01-01"),
			Orders: []int{1, 2, 3, 5, 7, 14, 28}}
		st.Series, err = Weather(city)
	case "co2":
		st = &Setup{Name: name, Unit: "ppm", Config: CO2Config(), Val: date("2012-01-01"), Test: date("2016-01-01"),
			Orders: []int{1, 2, 3, 6, 12, 13, 24, 25, 36}}
		st.Series, err = CO2()
	default:
		return nil, fmt.Errorf("forecast: unknown series %q (known: %v)", name, Setups)
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Split returns the training, validation and test rows, the first training
// row being the first with history enough for the window and every AR
// order.
func (st *Setup) Split() (Split, error) {
	first := st.Config.Window
	for _, p := range st.Orders {
		first = max(first, p)
	}
	return SplitByDate(st.Series, first, st.Val, st.Test)
}
