package fasthttp

import (
	"errors"
	"io"
	"testing"
)

func TestErrorTextsUsersMatchOn(t *testing.T) {
	// Fiber writes these texts into responses and its tests compare them;
	// they are fasthttp's long-standing unprefixed ones.
	for err, want := range map[error]string{
		ErrTimeout:          "timeout",
		ErrBodyTooLarge:     "body size exceeds the given limit",
		ErrTooManyRedirects: "too many redirects detected when doing the request",
	} {
		if err.Error() != want {
			t.Errorf("%q, want %q", err.Error(), want)
		}
	}
	if !ErrTimeout.Timeout() {
		t.Error("ErrTimeout does not report Timeout")
	}
	// A header that does not fit is an *ErrSmallBuffer (what ErrorHandlers
	// look for) that still carries its status.
	var sb *ErrSmallBuffer
	if !errors.As(errHeaderTooLarge, &sb) || statusForError(errHeaderTooLarge) != StatusRequestHeaderFieldsTooLarge ||
		!errors.As(errURITooLong, &sb) || statusForError(errURITooLong) != StatusRequestURITooLong {
		t.Error("header size errors lost their type or status")
	}
	if !errors.Is(errUnexpectedEOF, io.ErrUnexpectedEOF) {
		t.Error("a cut-off message is not io.ErrUnexpectedEOF")
	}
}
