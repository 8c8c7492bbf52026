// Package interop runs this repository's websocket package against
// independent implementations: gorilla/websocket and coder/websocket (both
// directions), and Node's ws package. It is a module of its own so that the
// library's go.mod gains nothing; run.sh installs ws and runs the tests.
package interop
