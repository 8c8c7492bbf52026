//go:build race

package fasthttp

// srvRaceEnabled tells allocation tests that sync.Pool drops items on
// purpose under the race detector.
const srvRaceEnabled = true
