//go:build !race

package fasthttp

// clientRaceEnabled tells allocation tests that the race detector, which
// allocates on its own, is on.
const clientRaceEnabled = false
