//go:build race

package mock_test

// raceEnabled lets load tests size themselves: the race detector makes each
// request several times slower.
const raceEnabled = true
