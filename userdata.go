package fasthttp

import "io"

// userData holds the values handlers attach to a request with
// SetUserValue. A slice beats a map for the handful of values a request
// carries, and it is reused across requests.
type userData []userDataKV

type userDataKV struct {
	key   any
	value any
}

// Set stores value under key; a nil value removes the key.
func (d *userData) Set(key, value any) {
	if b, ok := key.([]byte); ok {
		key = string(b)
	}
	args := *d
	for i := range args {
		if args[i].key == key {
			if value == nil {
				d.remove(i)
				return
			}
			args[i].value = value
			return
		}
	}
	if value == nil {
		return
	}
	*d = append(args, userDataKV{key: key, value: value})
}

// SetBytes stores value under the string form of key.
func (d *userData) SetBytes(key []byte, value any) {
	d.Set(string(key), value)
}

// Get returns the value stored under key, or nil.
func (d *userData) Get(key any) any {
	if b, ok := key.([]byte); ok {
		return d.GetBytes(b)
	}
	for _, kv := range *d {
		if kv.key == key {
			return kv.value
		}
	}
	return nil
}

// GetBytes returns the value stored under the string key, without
// allocating.
func (d *userData) GetBytes(key []byte) any {
	for _, kv := range *d {
		if s, ok := kv.key.(string); ok && s == string(key) {
			return kv.value
		}
	}
	return nil
}

// Remove deletes key.
func (d *userData) Remove(key any) {
	if b, ok := key.([]byte); ok {
		d.RemoveBytes(b)
		return
	}
	for i, kv := range *d {
		if kv.key == key {
			d.remove(i)
			return
		}
	}
}

// RemoveBytes deletes the string key.
func (d *userData) RemoveBytes(key []byte) {
	for i, kv := range *d {
		if s, ok := kv.key.(string); ok && s == string(key) {
			d.remove(i)
			return
		}
	}
}

func (d *userData) remove(i int) {
	args := *d
	n := len(args) - 1
	copy(args[i:], args[i+1:])
	args[n] = userDataKV{}
	*d = args[:n]
}

// Reset drops every value, closing those that are io.Closers.
func (d *userData) Reset() {
	args := *d
	for i := range args {
		if c, ok := args[i].value.(io.Closer); ok {
			_ = c.Close()
		}
		args[i] = userDataKV{}
	}
	*d = args[:0]
}

// VisitValues calls f for each value stored under a string key.
func (d *userData) VisitValues(f func([]byte, any)) {
	for _, kv := range *d {
		if s, ok := kv.key.(string); ok {
			f(s2b(s), kv.value)
		}
	}
}

// VisitAll calls f for every key and value.
func (d *userData) VisitAll(f func(any, any)) {
	for _, kv := range *d {
		f(kv.key, kv.value)
	}
}

// SetUserValue stores value under key for the life of the request.
func (req *Request) SetUserValue(key, value any) { req.userValues.Set(key, value) }

// SetUserValueBytes stores value under key.
func (req *Request) SetUserValueBytes(key []byte, value any) { req.userValues.SetBytes(key, value) }

// UserValue returns the value stored under key, or nil.
func (req *Request) UserValue(key any) any { return req.userValues.Get(key) }

// UserValueBytes returns the value stored under key, or nil.
func (req *Request) UserValueBytes(key []byte) any { return req.userValues.GetBytes(key) }

// VisitUserValues calls f for each value stored under a string key.
func (req *Request) VisitUserValues(f func([]byte, any)) { req.userValues.VisitValues(f) }

// VisitUserValuesAll calls f for every stored value.
func (req *Request) VisitUserValuesAll(f func(any, any)) { req.userValues.VisitAll(f) }

// ResetUserValues drops every stored value, closing io.Closers.
func (req *Request) ResetUserValues() { req.userValues.Reset() }

// RemoveUserValue deletes key.
func (req *Request) RemoveUserValue(key any) { req.userValues.Remove(key) }

// RemoveUserValueBytes deletes key.
func (req *Request) RemoveUserValueBytes(key []byte) { req.userValues.RemoveBytes(key) }
