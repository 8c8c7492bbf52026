package websocket

import (
	"encoding/binary"
	"errors"
	"strconv"
	"unicode/utf8"
)

// MessageType is the kind of a data message: text (UTF-8) or binary.
type MessageType int

const (
	// MessageText is a text message; its payload is valid UTF-8.
	MessageText MessageType = 1
	// MessageBinary is a binary message.
	MessageBinary MessageType = 2
)

// StatusCode is a WebSocket close status code (RFC 6455 §7.4 and the IANA
// registry).
type StatusCode int

// The close codes. StatusNoStatusReceived, StatusAbnormalClosure and
// StatusTLSHandshake are never sent: they describe a close without a code,
// a connection dropped without a close frame, and a failed TLS handshake.
const (
	StatusNormalClosure           StatusCode = 1000
	StatusGoingAway               StatusCode = 1001
	StatusProtocolError           StatusCode = 1002
	StatusUnsupportedData         StatusCode = 1003
	StatusNoStatusReceived        StatusCode = 1005
	StatusAbnormalClosure         StatusCode = 1006
	StatusInvalidFramePayloadData StatusCode = 1007
	StatusPolicyViolation         StatusCode = 1008
	StatusMessageTooBig           StatusCode = 1009
	StatusMandatoryExtension      StatusCode = 1010
	StatusInternalError           StatusCode = 1011
	StatusServiceRestart          StatusCode = 1012
	StatusTryAgainLater           StatusCode = 1013
	StatusBadGateway              StatusCode = 1014
	StatusTLSHandshake            StatusCode = 1015
)

// DefaultMaxMessageSize is the largest message a Conn reads when the options
// leave MaxMessageSize at zero: 4 MiB.
const DefaultMaxMessageSize = 4 << 20

// CloseError describes why a connection closed: the close frame the peer
// sent (or this side sent, for a protocol error it found), or
// StatusAbnormalClosure when the transport ended without one.
type CloseError struct {
	Code   StatusCode
	Reason string
}

// Error returns "websocket: close <code>: <reason>".
func (e CloseError) Error() string {
	return "websocket: close " + strconv.Itoa(int(e.Code)) + ": " + e.Reason
}

// CloseStatus returns the code of the CloseError in err's chain, or -1 when
// there is none.
func CloseStatus(err error) StatusCode {
	var ce CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	var pce *CloseError
	if errors.As(err, &pce) && pce != nil {
		return pce.Code
	}
	return -1
}

// maxCloseReason is the longest close reason that fits a control frame.
const maxCloseReason = maxControlPayload - 2

// validWireCode reports whether code may appear in a close frame (§7.4):
// the registered codes except those reserved for local use, and the
// 3000-4999 range for libraries and applications.
func validWireCode(code StatusCode) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

var (
	errInvalidCloseCode   = errors.New("websocket: invalid close status code")
	errCloseReasonTooLong = errors.New("websocket: close reason longer than 123 bytes")
	errCloseReasonUTF8    = errors.New("websocket: close reason is not valid UTF-8")
)

// checkClose validates a close code and reason this side is about to send.
func checkClose(code StatusCode, reason string) error {
	if !validWireCode(code) {
		return errInvalidCloseCode
	}
	if len(reason) > maxCloseReason {
		return errCloseReasonTooLong
	}
	if !utf8.ValidString(reason) {
		return errCloseReasonUTF8
	}
	return nil
}

// parseClosePayload decodes the payload of a received close frame. An empty
// payload means StatusNoStatusReceived. It returns a non-empty problem for
// a payload §5.5.1 and §7.4 forbid, with the code to fail the connection
// with.
func parseClosePayload(p []byte) (CloseError, StatusCode, string) {
	switch {
	case len(p) == 0:
		return CloseError{Code: StatusNoStatusReceived}, 0, ""
	case len(p) == 1:
		return CloseError{}, StatusProtocolError, "close frame payload of 1 byte"
	}
	code := StatusCode(binary.BigEndian.Uint16(p))
	if !validWireCode(code) {
		return CloseError{}, StatusProtocolError, "invalid close status code"
	}
	if !utf8.Valid(p[2:]) {
		return CloseError{}, StatusInvalidFramePayloadData, "invalid UTF-8 in close reason"
	}
	return CloseError{Code: code, Reason: string(p[2:])}, 0, ""
}
