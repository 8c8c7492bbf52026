// A Node peer for the interop tests, using the ws package.
//
//   node peer.js server <deflate 0|1>        echo server on 127.0.0.1, prints "PORT <n>"
//   node peer.js client <url> <deflate 0|1>  sends the message matrix, checks each echo,
//                                            prints "OK <count>" and exits 0
//
// The matrix and the payloads match matrix_test.go.
'use strict';
const { WebSocket, WebSocketServer } = require('ws');

const maxPayload = 32 << 20;
const sizes = [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20];

function payload(text, size) {
  if (text) {
    const unit = Buffer.from('κόσμε WebSocket ');
    const b = Buffer.alloc(size + unit.length);
    for (let i = 0; i < b.length; i += unit.length) unit.copy(b, i);
    let n = size;
    while (n > 0 && (b[n] & 0xc0) === 0x80) n--;
    return b.subarray(0, n);
  }
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + size) & 0xff;
  return b;
}

function matrix() {
  const ms = [];
  for (const size of sizes) for (const text of [true, false]) for (const fragmented of [false, true]) ms.push({ text, size, fragmented });
  return ms;
}

function deflateOption(on) {
  return on ? { threshold: 64 } : false;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload, perMessageDeflate: deflateOption(args[0] === '1') });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});
  });
  wss.on('listening', () => console.log('PORT ' + wss.address().port));
} else if (mode === 'client') {
  const [url, deflate] = args;
  const ws = new WebSocket(url, { maxPayload, perMessageDeflate: deflateOption(deflate === '1') });
  const ms = matrix();
  let i = 0;
  const fail = (msg) => { console.error('FAIL ' + msg); process.exit(1); };
  const sendNext = () => {
    if (i === ms.length) {
      ws.close(1000, 'done');
      return;
    }
    const m = ms[i];
    const p = payload(m.text, m.size);
    if (m.fragmented && p.length > 0) {
      for (let off = 0; off < p.length; off += 1000) {
        ws.send(p.subarray(off, Math.min(off + 1000, p.length)), { binary: !m.text, fin: off + 1000 >= p.length });
      }
    } else {
      ws.send(p, { binary: !m.text });
    }
  };
  ws.on('open', () => {
    const ext = ws.extensions;
    if ((deflate === '1') !== (ext !== '')) fail('compression negotiated: ' + JSON.stringify(ext));
    sendNext();
  });
  ws.on('message', (data, isBinary) => {
    const m = ms[i];
    const want = payload(m.text, m.size);
    if (isBinary === m.text || !Buffer.from(data).equals(want)) fail(`message ${i} (${JSON.stringify(m)}): got ${data.length} bytes`);
    i++;
    sendNext();
  });
  ws.on('close', (code) => {
    if (i !== ms.length || code !== 1000) fail(`closed with ${code} after ${i} messages`);
    console.log('OK ' + i);
    process.exit(0);
  });
  ws.on('error', (err) => fail(String(err)));
} else {
  console.error('usage: node peer.js server <deflate> | client <url> <deflate>');
  process.exit(2);
}
