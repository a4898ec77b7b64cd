// A merchant written in JavaScript against `unionpay sandbox`: an interoperability test.
//
// It proves that a client in another language, given only what the sandbox prints and writes
// (its "key: value" lines, certificates and PEM key), can do a merchant's whole day with it:
// sign requests the gateway accepts, and verify what the gateway sends, with its certificate
// chain, as UnionPay's own SDKs do. It is written from the wire protocol (the string to sign,
// RSA-SHA256 over the hex SHA-256, the raw answer format, the settlement zip's fixed-width GBK
// records), the README and `unionpay sandbox -h`, NOT from this repository's Go code: a sandbox
// that agreed only with the Go SDK's own mistakes would fail it.
//
// Steps: a front consume (form POSTed to the front URL, the cashier's session paid first with the
// declined card, respCode 64, then with the test card), the signed front return re-POSTed to our
// frontUrl, the back notification (certificate chain, owner CN, signature, echoed fields), a
// query, a partial refund with its notification and query, and the settlement file (base64,
// zlib, zip, GBK fixed-width records, the RD report's totals). Every check is an assertion: the
// script exits 1 with "FAILED: <what>" on the first one that fails.
// Not covered: accNo decryption (Node.js refuses RSA PKCS#1 v1.5 decryption, CVE-2023-46809).
//
// Run by TestSandboxNodeClient (cmd/unionpay/sandbox_node_test.go). By hand, with Node.js 16 or
// later and no npm package:
//   unionpay sandbox > sandbox.txt &   # then, once sandbox.txt ends with "ready: ..."
//   UNIONPAY_SANDBOX="$(cat sandbox.txt)" node client.js
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const zlib = require('zlib');

class Failure extends Error {}
const assert = (ok, what) => { if (!ok) throw new Failure(what); };
const log = (...a) => console.log(...a);

// The sandbox's printed lines, "key: value" up to "ready: ...".
function readInfo(text) {
  const info = {};
  for (const line of (text || '').split(/\r?\n/)) {
    const i = line.indexOf(': ');
    if (i > 0) info[line.slice(0, i)] = line.slice(i + 2);
  }
  for (const k of ['merId', 'front', 'back', 'query', 'file', 'root', 'middle', 'signKey', 'certId', 'testCard', 'declinedCard', 'ready']) {
    assert(info[k], `the sandbox printed no "${k}:" line (UNIONPAY_SANDBOX: its output up to "ready:")`);
  }
  return info;
}

// txnTime: Beijing time (UTC+8), YYYYMMDDhhmmss.
function beijingTime(d = new Date()) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

// The string to sign: every field but signature, sorted by key in byte order, key=value joined by &.
function stringToSign(fields) {
  return Object.keys(fields).filter((k) => k !== 'signature').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => k + '=' + fields[k]).join('&');
}
const hexSHA256 = (fields) => crypto.createHash('sha256').update(stringToSign(fields), 'utf8').digest('hex');

// signMethod 01: blank fields dropped, signature = base64(RSA-SHA256 over the lowercase hex SHA-256).
function sign(fields, key) {
  const f = {};
  for (const [k, v] of Object.entries(fields)) if (String(v).trim() !== '') f[k] = String(v).trim();
  f.signature = crypto.sign('sha256', Buffer.from(hexSHA256(f), 'ascii'), key).toString('base64');
  return f;
}

// Verification: signPubKeyCert valid now, issued by the configured middle, itself issued by the
// configured root; the owner (third @-part of the CN) UnionPay; the signature over the fields as received.
function verify(fields, trust, what) {
  assert(fields.signMethod === '01', `${what}: signMethod ${fields.signMethod}, want 01`);
  assert(fields.signPubKeyCert && fields.signature, `${what}: no signPubKeyCert or signature`);
  const cert = new crypto.X509Certificate(Buffer.from(fields.signPubKeyCert, 'latin1'));
  const valid = (c) => new Date(c.validFrom) <= Date.now() && Date.now() <= new Date(c.validTo);
  assert(valid(cert) && valid(trust.middle) && valid(trust.root), `${what}: a certificate of the chain is not valid now`);
  assert(cert.checkIssued(trust.middle) && cert.verify(trust.middle.publicKey), `${what}: signPubKeyCert not issued by the middle certificate`);
  assert(trust.middle.ca && trust.middle.checkIssued(trust.root) && trust.middle.verify(trust.root.publicKey), `${what}: middle not a CA issued by the root`);
  const cn = (/CN=([^\n]*)/.exec(cert.subject) || [])[1] || '';
  assert(cn.split('@')[2] === '中国银联股份有限公司', `${what}: certificate owner ${JSON.stringify(cn)} is not UnionPay`);
  const ok = crypto.verify('sha256', Buffer.from(hexSHA256(fields), 'ascii'), cert.publicKey, Buffer.from(fields.signature, 'base64'));
  assert(ok, `${what}: bad signature`);
}

// A synchronous answer: raw key=value&..., values not URL-encoded, {...} and [...] kept whole.
function parseRaw(s) {
  s = s.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  const out = {};
  let key = null, start = 0, close = null;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (key === null) {
      if (c === '=') { key = s.slice(start, i); start = i + 1; }
      continue;
    }
    if (close) { if (c === close) close = null; continue; }
    if (c === '{') close = '}';
    else if (c === '[') close = ']';
    else if (c === '&' || i === s.length) { out[key] = s.slice(start, i); key = null; start = i + 1; }
  }
  return out;
}

const formBody = (fields) => new URLSearchParams(fields).toString();
function parseForm(body) {
  const out = {};
  for (const [k, v] of new URLSearchParams(body)) if (v !== '') out[k] = v; // empty values are dropped before verifying
  return out;
}

function post(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', timeout: 10000,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Failure(`POST ${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

// An HTML page's form: its action and its inputs, entities decoded as a browser does.
const unescapeHTML = (s) => s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(+d))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function htmlForm(html) {
  const fields = {};
  for (const [, attrs] of html.matchAll(/<input\b([^>]*)>/gi)) {
    const a = {};
    for (const [, k, v] of attrs.matchAll(/([a-zA-Z-]+)\s*=\s*"([^"]*)"/g)) a[k.toLowerCase()] = unescapeHTML(v);
    if (a.name !== undefined) fields[a.name] = a.value || '';
  }
  const action = /<form\b[^>]*action\s*=\s*"([^"]*)"/i.exec(html);
  return { fields, action: action ? unescapeHTML(action[1]) : null };
}

// The members of a zip archive (stored or deflated), from its central directory.
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert(eocd >= 0, 'settlement zip: no end of central directory');
  const members = {};
  for (let i = 0, off = buf.readUInt32LE(eocd + 16); i < buf.readUInt16LE(eocd + 10); i++) {
    assert(buf.readUInt32LE(off) === 0x02014b50, 'settlement zip: bad central directory header');
    const method = buf.readUInt16LE(off + 10), size = buf.readUInt32LE(off + 20);
    const nameLen = buf.readUInt16LE(off + 28), extraLen = buf.readUInt16LE(off + 30), commentLen = buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const name = buf.toString('latin1', off + 46, off + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    members[name] = method === 8 ? zlib.inflateRawSync(data) : data;
    off += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

// ZM records: fixed-width fields (bytes) with one separator between them, GBK.
const zmWidths = [3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98];
function zmRecords(data) {
  const gbk = new TextDecoder('gbk');
  const lines = [];
  for (let start = 0; start < data.length;) {
    let end = data.indexOf(0x0a, start);
    if (end < 0) end = data.length;
    const line = data.subarray(start, end > start && data[end - 1] === 0x0d ? end - 1 : end);
    start = end + 1;
    if (line.length === 0) continue;
    const rec = [];
    for (let i = 0, o = 0; i < zmWidths.length; o += zmWidths[i] + 1, i++) rec.push(gbk.decode(line.subarray(o, o + zmWidths[i])).trim());
    lines.push({ txnCode: rec[0], pan: rec[5], amount: rec[6], queryId: rec[9], orderId: rec[11], origQueryId: rec[26] });
  }
  return lines;
}

async function main() {
  const info = readInfo(process.env.UNIONPAY_SANDBOX);
  const key = fs.readFileSync(info.signKey, 'utf8');
  const trust = { root: new crypto.X509Certificate(fs.readFileSync(info.root)), middle: new crypto.X509Certificate(fs.readFileSync(info.middle)) };
  const common = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', certId: info.certId, merId: info.merId, accessType: '0' };

  // The merchant's server: front returns on /front, back notifications on /back, answered 200.
  const received = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url, fields: parseForm(Buffer.concat(chunks).toString('utf8')) });
      res.end('ok');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  const waitFor = async (what, pred) => {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      const got = received.find(pred);
      if (got) return got;
    }
    throw new Failure(`${what}: nothing received in 5 s`);
  };

  // 1. Front consume: the signed form to the front URL gives the cashier page.
  const orderId = 'NODE' + Date.now(), txnTime = beijingTime();
  const consume = sign({ ...common, txnType: '01', txnSubType: '01', bizType: '000201', channelType: '07', orderId, txnTime,
    txnAmt: '1234', currencyCode: '156', frontUrl: base + '/front', backUrl: base + '/back?shop=1', reqReserved: 'node client {x=1}' }, key);
  const cashier = await post(info.front, formBody(consume));
  assert(cashier.status === 200, `front: HTTP ${cashier.status}: ${cashier.body.slice(0, 300)}`);
  const session = htmlForm(cashier.body).fields.session;
  assert(session, `front: no session on the cashier page (refused? ${(/data-respcode="[^"]*"[^<]*/.exec(cashier.body) || [''])[0]})`);
  const pay = async (cardNo, respCode) => {
    const paid = await post(new URL('/cashier/pay', info.front).toString(), formBody({ session, cardNo, action: 'pay' }));
    assert(paid.status === 200, `cashier pay: HTTP ${paid.status}`);
    const back = htmlForm(paid.body);
    assert(back.action === base + '/front', `front return: posts to ${back.action}, want our frontUrl`);
    verify(back.fields, trust, `front return (card ${cardNo})`);
    assert(back.fields.respCode === respCode && back.fields.orderId === orderId,
      `front return (card ${cardNo}): respCode ${back.fields.respCode} orderId ${back.fields.orderId}, want ${respCode} ${orderId}`);
    return back;
  };
  await pay(info.declinedCard, '64');
  const back = await pay(info.testCard, '00'); // the same session, another card
  await post(back.action, formBody(back.fields)); // the browser's auto-post
  verify((await waitFor('front return at frontUrl', (r) => r.url === '/front' && r.fields.respCode === '00')).fields, trust, 'front return as received');
  log('front consume paid:', orderId);

  // 2. The back notification, to backUrl with its query string.
  const got1 = await waitFor('consume notification', (r) => r.url.startsWith('/back') && r.fields.orderId === orderId);
  assert(got1.url === '/back?shop=1', `consume notification: sent to ${got1.url}, want the backUrl /back?shop=1`);
  const n1 = got1.fields;
  verify(n1, trust, 'consume notification');
  assert(n1.respCode === '00' && n1.txnAmt === '1234' && n1.merId === info.merId && n1.reqReserved === 'node client {x=1}',
    `consume notification: respCode ${n1.respCode} txnAmt ${n1.txnAmt} merId ${n1.merId} reqReserved ${n1.reqReserved}`);
  const tampered = { ...n1, txnAmt: '1' };
  assert((() => { try { verify(tampered, trust, 'tampered'); return false; } catch (e) { return e instanceof Failure; } })(),
    'this client verified a notification with its txnAmt changed: its verification proves nothing');
  log('notification verified: queryId', n1.queryId, 'settleDate', n1.settleDate);

  // 3. Query of the consume, by orderId and its txnTime.
  const qf = parseRaw((await post(info.query, formBody(sign({ ...common, txnType: '00', txnSubType: '00', bizType: '000201', orderId, txnTime }, key)))).body);
  verify(qf, trust, 'query answer');
  assert(qf.respCode === '00' && qf.origRespCode === '00' && qf.queryId === n1.queryId,
    `query answer: respCode ${qf.respCode} origRespCode ${qf.origRespCode} queryId ${qf.queryId}, want 00 00 ${n1.queryId}`);

  // 4. A refund of 2.34 of the 12.34, its notification and its query.
  const rOrder = 'NODER' + Date.now(), rTime = beijingTime();
  const rf = parseRaw((await post(info.back, formBody(sign({ ...common, txnType: '04', txnSubType: '00', bizType: '000201', channelType: '07',
    orderId: rOrder, txnTime: rTime, txnAmt: '234', currencyCode: '156', origQryId: n1.queryId, backUrl: base + '/back' }, key)))).body);
  verify(rf, trust, 'refund answer');
  assert(rf.respCode === '00', `refund answer: respCode ${rf.respCode} ${rf.respMsg}`);
  const n2 = (await waitFor('refund notification', (r) => r.url === '/back' && r.fields.orderId === rOrder)).fields;
  verify(n2, trust, 'refund notification');
  assert(n2.respCode === '00' && n2.origQryId === n1.queryId, `refund notification: respCode ${n2.respCode} origQryId ${n2.origQryId}`);
  const q2 = parseRaw((await post(info.query, formBody(sign({ ...common, txnType: '00', txnSubType: '00', bizType: '000201', orderId: rOrder, txnTime: rTime }, key)))).body);
  verify(q2, trust, 'refund query answer');
  assert(q2.respCode === '00' && q2.origRespCode === '00', `refund query answer: respCode ${q2.respCode} origRespCode ${q2.origRespCode}`);
  assert(/^\d{4}$/.test(n1.settleDate) && /^\d{4}$/.test(n2.settleDate), `settleDate ${n1.settleDate}, ${n2.settleDate}: want MMDD`);
  // The settle day ends at 23:00 Beijing time: a refund from 23:00 on, after a payment before it, is in the next day's file.
  const sameDay = n2.settleDate === n1.settleDate;
  log('refund done:', rOrder, n2.queryId, sameDay ? '' : `(settled ${n2.settleDate}, the payment ${n1.settleDate})`);

  // 5. The settlement file of the notifications' settleDate: base64, zlib, a zip of GBK files.
  const ff = parseRaw((await post(info.file, formBody(sign({ ...common, txnType: '76', txnSubType: '01', bizType: '000000', fileType: '00',
    settleDate: n1.settleDate, txnTime: beijingTime() }, key)))).body);
  verify(ff, trust, 'file answer');
  assert(ff.respCode === '00' && ff.fileContent, `file answer: respCode ${ff.respCode} ${ff.respMsg}`);
  let zip;
  try { zip = zlib.inflateSync(Buffer.from(ff.fileContent, 'base64')); } catch (e) { throw new Failure(`fileContent: not base64 of a zlib stream: ${e.message}`); }
  const members = unzip(zip);
  const zm = Object.keys(members).find((n) => /^INN\d{6}88ZM_/.test(n) && n.endsWith('_' + info.merId));
  const rd = Object.keys(members).find((n) => /^RD/.test(n) && n.endsWith('_' + info.merId));
  assert(zm && rd, `settlement zip: members ${Object.keys(members).join(', ')}, want INN...ZM_${info.merId} and RD..._${info.merId}`);
  const recs = zmRecords(members[zm]);
  const pay1 = recs.find((r) => r.queryId === n1.queryId), ref1 = recs.find((r) => r.queryId === n2.queryId);
  assert(recs.length === (sameDay ? 2 : 1) && pay1 && !ref1 === !sameDay, `ZM: ${recs.length} records ${JSON.stringify(recs)}, want the payment${sameDay ? ' and the refund' : ''}`);
  assert(pay1.orderId === orderId && pay1.amount === '000000001234' && /^621626\*+0018$/.test(pay1.pan), `ZM payment record: ${JSON.stringify(pay1)}`);
  assert(!sameDay || (ref1.orderId === rOrder && ref1.amount === '000000000234' && ref1.origQueryId === n1.queryId), `ZM refund record: ${JSON.stringify(ref1)}`);
  const total = new TextDecoder('gbk').decode(members[rd]).split(/\r?\n/).find((l) => l.trim().startsWith('总计'));
  const want = sameDay ? '2 2.34 12.34' : '1 0.00 12.34'; // count, debit (refunds), credit (payments)
  assert(total && total.trim().split(/\s+/).slice(1, 4).join(' ') === want, `RD report: totals line ${JSON.stringify(total)}, want count, debit, credit ${want}`);
  log('settlement file checked:', zm, rd);

  // A front consume notifies success only: nothing came with another respCode.
  const other = received.find((r) => r.url.startsWith('/back') && r.fields.respCode !== '00');
  assert(!other, `a notification with respCode ${other && other.fields.respCode}: the declined payment was notified`);
  log('PASS');
}

// process.exit: the merchant's server would keep the process alive (and a failure waiting).
setTimeout(() => { console.error('FAILED: not done in 30 s'); process.exit(1); }, 30000).unref();
main().then(() => process.exit(0), (e) => {
  console.error('FAILED: ' + (e instanceof Failure ? e.message : e.stack || e));
  process.exit(1);
});
