// Package stackless runs stack-hungry code, such as compressors, on a small
// set of long-lived goroutines, so that the many goroutines of a server do
// not each grow a large stack for it.
package stackless
