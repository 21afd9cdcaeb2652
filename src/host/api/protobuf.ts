/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) as the JSON objects
 * the simulated API server takes. Real kubectl 1.32 sends protobuf for what it writes through
 * typed clients: `kubectl create deployment|job|cronjob|service|configmap|secret|namespace|...`,
 * `create token`, `autoscale`, `auth can-i|whoami|reconcile`, `certificate approve|deny` (a PUT),
 * `debug` (node and --copy-to pods) and `drain --disable-eviction` (a DELETE's DeleteOptions).
 * Its Accept header always offers JSON as well, so answers stay JSON.
 *
 * The wire format: the magic "k8s\0", then a runtime.Unknown message whose typeMeta names the
 * apiVersion and kind and whose raw bytes are the object's own message. The object becomes the
 * JSON that encoding/json gives for the Go value the real API server decodes (see
 * bin/generate-protobuf.mjs for the descriptor): omitempty zero values left out, nil pointers
 * absent, nil slices and maps without omitempty `null`, structs always present, embedded structs
 * inlined, keys in Go field order, and the types with their own JSON form — Time, MicroTime,
 * Duration, Quantity, IntOrString, RawExtension, FieldsV1, and slice types such as ExtraValue.
 */
import { PROTOBUF_PACKAGES, type ProtobufField } from './generated/protobuf';

/** The protobuf serializer's prefix (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const REPEATED = 1;
const MAP = 2;
const POINTER = 4;
const OMITEMPTY = 8;
const INLINE = 16;

/**
 * A body the real API server would refuse. `message` is the decoder's own error, as Go's protobuf
 * decoding words it; `kind` and `apiVersion` are the envelope's, when it got that far. The real API
 * server answers 400 BadRequest with `<kind> in version "<version>" cannot be handled as a <Kind>: <message>`.
 */
export class ProtobufDecodeError extends Error {
  constructor(
    message: string,
    readonly apiVersion?: string,
    readonly kind?: string,
  ) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

// ---- wire format ----

type Wire = bigint | Buffer; // varint and fixed values as bigint, length-delimited as bytes

/** The fields of one message on the wire: field number -> values in order. */
function readFields(buf: Buffer, message: string): Map<number, Wire[]> {
  const fields = new Map<number, Wire[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 70n) throw new ProtobufDecodeError('proto: integer overflow');
      if (pos >= buf.length) throw new ProtobufDecodeError('unexpected EOF');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const num = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (num <= 0) throw new ProtobufDecodeError(`proto: ${message}: illegal tag ${num} (wire type ${wireType})`);
    let value: Wire;
    switch (wireType) {
      case 0:
        value = varint();
        break;
      case 1:
      case 5: {
        const size = wireType === 1 ? 8 : 4;
        if (pos + size > buf.length) throw new ProtobufDecodeError('unexpected EOF');
        value = size === 8 ? buf.readBigUInt64LE(pos) : BigInt(buf.readUInt32LE(pos));
        pos += size;
        break;
      }
      case 2: {
        const len = varint();
        if (len > BigInt(buf.length - pos)) {
          if (len >= 1n << 63n) throw new ProtobufDecodeError('proto: negative length found during unmarshaling');
          throw new ProtobufDecodeError('unexpected EOF');
        }
        value = buf.subarray(pos, pos + Number(len));
        pos += Number(len);
        break;
      }
      case 4:
        throw new ProtobufDecodeError(`proto: ${message}: wiretype end group for non-group`);
      default:
        throw new ProtobufDecodeError(`proto: ${message}: illegal tag ${num} (wire type ${wireType})`);
    }
    const list = fields.get(num);
    if (list) list.push(value);
    else fields.set(num, [value]);
  }
  return fields;
}

// ---- descriptor ----

interface Message {
  readonly pkg: string;
  readonly name: string;
  readonly fields: readonly ProtobufField[];
  readonly array: boolean;
}

const messages = new Map<string, Message>();

/** A message by reference ("Name" in `pkg`, or "other/pkg.Name"). */
function message(ref: string, pkg: string): Message {
  const dot = ref.lastIndexOf('.');
  const key = dot < 0 ? `${pkg}.${ref}` : ref;
  let m = messages.get(key);
  if (!m) {
    const p = dot < 0 ? pkg : ref.slice(0, dot);
    const name = dot < 0 ? ref : ref.slice(dot + 1);
    const fields = PROTOBUF_PACKAGES[p]?.messages[name];
    if (!fields) throw new Error(`protobuf descriptor: no message ${key}`);
    m = { pkg: p, name, fields, array: PROTOBUF_PACKAGES[p]!.arrays?.includes(name) ?? false };
    messages.set(key, m);
  }
  return m;
}

/** The proto package serving an apiVersion ("v1", "apps/v1"). */
function packageOf(apiVersion: string): string | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return Object.keys(PROTOBUF_PACKAGES).find((key) => PROTOBUF_PACKAGES[key]!.group === group && PROTOBUF_PACKAGES[key]!.version === version);
}

/** Kinds every group version registers (metav1.AddToGroupVersion), decoded as meta/v1's. */
const META_KINDS = new Set(['ListOptions', 'GetOptions', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'WatchEvent', 'Status']);

// ---- values ----

const last = (values: Wire[] | undefined): Wire | undefined => values?.[values.length - 1];

function scalar(type: string, v: Wire, field: string): unknown {
  if (type === 's' || type === 'y') {
    if (!Buffer.isBuffer(v)) throw new ProtobufDecodeError(`proto: wrong wireType = 0 for field ${field}`);
    return type === 's' ? v.toString('utf8') : v.toString('base64');
  }
  if (Buffer.isBuffer(v)) throw new ProtobufDecodeError(`proto: wrong wireType = 2 for field ${field}`);
  if (type === 'b') return v !== 0n;
  if (type === 'i') return Number(BigInt.asIntN(32, v));
  return Number(BigInt.asIntN(64, v));
}

const ZERO: Record<string, unknown> = { s: '', i: 0, l: 0, b: false };

/** Scalar types are one letter; message references are longer. */
const isScalar = (type: string): boolean => type.length === 1;

/** Repeated scalars, packed or not. */
function repeatedScalars(type: string, values: Wire[], field: string): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Buffer.isBuffer(v) && (type === 'i' || type === 'l' || type === 'b')) {
      for (const packed of readPacked(v)) out.push(scalar(type, packed, field));
    } else out.push(scalar(type, v, field));
  }
  return out;
}

function readPacked(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  let value = 0n;
  let shift = 0n;
  for (const b of buf) {
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if (b < 0x80) {
      out.push(BigInt.asUintN(64, value));
      value = 0n;
      shift = 0n;
    } else if (shift >= 70n) throw new ProtobufDecodeError('proto: integer overflow');
  }
  if (shift !== 0n) throw new ProtobufDecodeError('unexpected EOF');
  return out;
}

/** A value of `type` (scalar or message) from one wire value; messages by their JSON form. */
function value(type: string, v: Wire, pkg: string, field: string): unknown {
  if (isScalar(type)) return scalar(type, v, field);
  if (!Buffer.isBuffer(v)) throw new ProtobufDecodeError(`proto: wrong wireType = 0 for field ${field}`);
  return decodeMessage(message(type, pkg), v);
}

/** Go's time.Duration.String() of nanoseconds. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  const frac = (v: bigint, prec: number): [string, bigint] => {
    let digits = '';
    let printed = false;
    for (let i = 0; i < prec; i++) {
      const d = v % 10n;
      printed ||= d !== 0n;
      if (printed) digits = `${d}${digits}`;
      v /= 10n;
    }
    return [printed ? `.${digits}` : '', v];
  };
  let out: string;
  if (u < 1_000_000_000n) {
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const [f, whole] = frac(u, prec);
    out = `${whole}${f}${unit}`;
  } else {
    const [f, secs] = frac(u, 9);
    u = secs;
    out = `${u % 60n}${f}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** The zero Go time (0001-01-01T00:00:00Z) in Unix seconds: Time.IsZero, JSON null. */
const ZERO_TIME_SECONDS = -62135596800n;

function timestamp(buf: Buffer, micro: boolean): string | null {
  if (buf.length === 0) return null;
  const f = readFields(buf, 'Timestamp');
  const seconds = (last(f.get(1)) as bigint | undefined) ?? 0n;
  const nanos = Number(BigInt.asIntN(32, (last(f.get(2)) as bigint | undefined) ?? 0n));
  const secs = BigInt.asIntN(64, seconds);
  // Time keeps whole seconds, MicroTime microseconds (as their Unmarshal does).
  const micros = micro ? Math.trunc(nanos / 1000) : 0;
  if (secs === ZERO_TIME_SECONDS && micros === 0) return null;
  const date = new Date(Number(secs) * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(`proto: Timestamp: seconds out of range: ${secs}`);
  const iso = date.toISOString().slice(0, 19);
  return micro ? `${iso}.${String(micros).padStart(6, '0')}Z` : `${iso}Z`;
}

/** JSON bytes of a RawExtension or FieldsV1 (a nested protobuf object decodes too). */
function rawJson(buf: Buffer | undefined): unknown {
  if (buf === undefined) return null;
  if (buf.subarray(0, 4).equals(MAGIC)) return decodeKubernetesProtobuf(buf);
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new ProtobufDecodeError('json: error calling MarshalJSON for type runtime.RawExtension: invalid character in raw JSON');
  }
}

/** Messages with their own JSON form: the value for their wire bytes (undefined: not special). */
function special(m: Message, buf: Buffer): { value: unknown } | undefined {
  switch (`${m.pkg}.${m.name}`) {
    case 'meta/v1.Time':
      return { value: timestamp(buf, false) };
    case 'meta/v1.MicroTime':
      return { value: timestamp(buf, true) };
    case 'meta/v1.Duration': {
      const ns = last(readFields(buf, 'Duration').get(1));
      return { value: goDuration(BigInt.asIntN(64, typeof ns === 'bigint' ? ns : 0n)) };
    }
    case 'resource.Quantity':
    case 'resource.QuantityValue': {
      const s = last(readFields(buf, 'Quantity').get(1));
      return { value: s === undefined ? '0' : scalar('s', s, 'String_') };
    }
    case 'intstr.IntOrString': {
      const f = readFields(buf, 'IntOrString');
      const type = last(f.get(1));
      if (type !== undefined && scalar('l', type, 'Type') === 1) {
        const s = last(f.get(3));
        return { value: s === undefined ? '' : scalar('s', s, 'StrVal') };
      }
      const i = last(f.get(2));
      return { value: i === undefined ? 0 : scalar('i', i, 'IntVal') };
    }
    case 'runtime.RawExtension':
    case 'meta/v1.FieldsV1': {
      const raw = last(readFields(buf, m.name).get(1));
      if (raw !== undefined && !Buffer.isBuffer(raw)) throw new ProtobufDecodeError('proto: wrong wireType = 0 for field Raw');
      return { value: rawJson(raw) };
    }
  }
  return undefined;
}

/** One message's JSON value (an object, or the special types' own forms). */
function decodeMessage(m: Message, buf: Buffer): unknown {
  const own = special(m, buf);
  if (own) return own.value;
  const wire = readFields(buf, m.name);
  if (m.array) {
    const items = wire.get(1);
    const type = m.fields[0]![2] as string;
    if (!items?.length) return null;
    return isScalar(type) ? repeatedScalars(type, items, 'Items') : items.map((v) => value(type, v, m.pkg, 'Items'));
  }
  const out: Record<string, unknown> = {};
  for (const [num, name, type, flags = 0] of m.fields) {
    const values = wire.get(num);
    const emitEmpty = (flags & OMITEMPTY) === 0;
    if (typeof type !== 'string') {
      // A map: entries are messages of key (1) and value (2); a later entry wins.
      const [keyType, valueType] = type;
      if (!values?.length) {
        if (emitEmpty) out[name] = null;
        continue;
      }
      const map: Record<string, unknown> = {};
      for (const entry of values) {
        if (!Buffer.isBuffer(entry)) throw new ProtobufDecodeError(`proto: wrong wireType = 0 for field ${name}`);
        const e = readFields(entry, `${m.name}.${name}`);
        const k = last(e.get(1));
        const v = last(e.get(2));
        const key = k === undefined ? ZERO[keyType] : scalar(keyType, k, name);
        map[String(key)] = v !== undefined ? value(valueType, v, m.pkg, name) : zero(valueType, m.pkg);
      }
      out[name] = map;
    } else if (flags & REPEATED) {
      if (!values?.length) {
        if (emitEmpty) out[name] = null;
        continue;
      }
      out[name] = isScalar(type) ? repeatedScalars(type, values, name) : values.map((v) => value(type, v, m.pkg, name));
    } else if (type === 'y') {
      // []byte: nil when absent; omitempty leaves out an empty one too.
      const v = last(values);
      if (v === undefined) {
        if (emitEmpty) out[name] = null;
      } else {
        const s = scalar('y', v, name);
        if (s !== '' || emitEmpty) out[name] = s;
      }
    } else if (isScalar(type)) {
      const v = last(values);
      if (v === undefined) {
        // A nil pointer, or a value Go would have written (gogo writes every non-pointer scalar).
        if (emitEmpty) out[name] = flags & POINTER ? null : ZERO[type];
        continue;
      }
      const s = scalar(type, v, name);
      if (!(flags & POINTER) && !emitEmpty && s === ZERO[type]) continue;
      out[name] = s;
    } else {
      let v: unknown;
      if (!values?.length) {
        if (flags & POINTER) {
          if (emitEmpty && !(flags & INLINE)) out[name] = null;
          continue;
        }
        // A struct value is never left out, even with omitempty.
        v = zero(type, m.pkg);
      } else {
        const parts: Buffer[] = [];
        for (const x of values) {
          if (!Buffer.isBuffer(x)) throw new ProtobufDecodeError(`proto: wrong wireType = 0 for field ${name}`);
          parts.push(x);
        }
        // A message field given more than once merges, which on the wire is concatenation.
        v = decodeMessage(message(type, m.pkg), parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      }
      if (flags & INLINE && v && typeof v === 'object') Object.assign(out, v);
      else out[name] = v;
    }
  }
  return out;
}

/** The JSON of a type's zero value (a struct that was not on the wire, a map entry without a value). */
function zero(type: string, pkg: string): unknown {
  if (isScalar(type)) return type === 'y' ? null : ZERO[type];
  return decodeMessage(message(type, pkg), Buffer.alloc(0));
}

/**
 * Decodes a Kubernetes protobuf body (with the k8s\0 magic) into the JSON object; throws an Error
 * (a ProtobufDecodeError) with a message fit for a 400 Status on malformed input. `defaults` fills
 * the envelope's apiVersion and kind when they are missing, as the API server does from the URL.
 */
export function decodeKubernetesProtobuf(body: Buffer, defaults?: { apiVersion?: string; kind?: string }): Record<string, unknown> {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw new ProtobufDecodeError(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  if (body.length === MAGIC.length) throw new ProtobufDecodeError('empty body');
  const unknown = readFields(body.subarray(MAGIC.length), 'Unknown');
  const typeMeta = last(unknown.get(1));
  let apiVersion = '';
  let kind = '';
  if (typeMeta !== undefined) {
    if (!Buffer.isBuffer(typeMeta)) throw new ProtobufDecodeError('proto: wrong wireType = 0 for field TypeMeta');
    const t = readFields(typeMeta, 'TypeMeta');
    const v = last(t.get(1));
    const k = last(t.get(2));
    if (v !== undefined) apiVersion = scalar('s', v, 'APIVersion') as string;
    if (k !== undefined) kind = scalar('s', k, 'Kind') as string;
  }
  apiVersion ||= defaults?.apiVersion ?? '';
  kind ||= defaults?.kind ?? '';
  const typeMetaText = `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;
  if (!kind) throw new ProtobufDecodeError(`Object 'Kind' is missing in '${typeMetaText}'`, apiVersion || undefined);
  if (!apiVersion) throw new ProtobufDecodeError(`Object 'apiVersion' is missing in '${typeMetaText}'`, undefined, kind);
  const raw = last(unknown.get(2));
  if (raw !== undefined && !Buffer.isBuffer(raw)) throw new ProtobufDecodeError('proto: wrong wireType = 0 for field Raw', apiVersion, kind);
  const isKind = (pkg: string | undefined) => pkg !== undefined && (PROTOBUF_PACKAGES[pkg]!.kinds?.includes(kind) || (pkg === 'meta/v1' && META_KINDS.has(kind)));
  let pkg = packageOf(apiVersion);
  if (!isKind(pkg) && META_KINDS.has(kind)) pkg = 'meta/v1';
  if (!pkg || !isKind(pkg))
    throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`, apiVersion, kind);
  try {
    const obj = decodeMessage(message(kind, pkg), raw ?? Buffer.alloc(0)) as Record<string, unknown>;
    return { kind, apiVersion, ...obj };
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw new ProtobufDecodeError(err.message, apiVersion, kind);
    throw err;
  }
}
