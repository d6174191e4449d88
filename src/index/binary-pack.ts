import { AppError } from '../errors.js';

/**
 * A small binary container for index files: a JSON header (strings, ids, parameters) followed by typed
 * arrays stored as raw little-endian bytes, so loading them is a copy (or a view), not a parse.
 *
 * Layout: "RGWB" · u32 layout version · u32 header byte length · header JSON (UTF-8) · zero padding to a
 * multiple of 8 · each array's bytes, each padded to a multiple of 8. The header lists the arrays' types
 * and lengths under `$arrays`.
 */

const MAGIC = 'RGWB';
const LAYOUT_VERSION = 1;

type Typed = Int32Array | Float32Array | Float64Array | Uint32Array;
const CTORS = { i32: Int32Array, f32: Float32Array, f64: Float64Array, u32: Uint32Array } as const;
type TypeName = keyof typeof CTORS;

function typeName(a: Typed): TypeName {
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  return 'u32';
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/** Packs a JSON-serializable header and typed arrays into one buffer (see the module comment). */
export function packBinary(header: Record<string, unknown>, arrays: readonly Typed[]): Buffer {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new AppError('internal', 'big-endian hosts are not supported');
  const meta = JSON.stringify({ ...header, $arrays: arrays.map((a) => [typeName(a), a.length]) });
  const head = Buffer.from(meta, 'utf8');
  const parts: Buffer[] = [
    Buffer.from(MAGIC, 'latin1'),
    u32(LAYOUT_VERSION),
    u32(head.length),
    head,
    Buffer.alloc(pad8(12 + head.length)),
  ];
  for (const a of arrays) {
    const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    parts.push(bytes, Buffer.alloc(pad8(bytes.length)));
  }
  return Buffer.concat(parts);
}

/**
 * Reads a buffer written by {@link packBinary}. Arrays are views on an aligned copy of the buffer.
 * @param what file name for the error message
 * @throws AppError('index_corrupt') when the magic, header or sizes do not fit.
 */
export function unpackBinary(
  bytes: Uint8Array,
  what: string,
): { header: Record<string, unknown>; arrays: Typed[] } {
  const corrupt = (why: string) =>
    new AppError('index_corrupt', `Index file ${what} is invalid (${why}); run "npm run ingest".`);
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC)
    throw corrupt('not a rugwijs binary file');
  // One aligned copy: typed-array views need an offset that is a multiple of their element size.
  const buf = new Uint8Array(bytes.length);
  buf.set(bytes);
  const view = new DataView(buf.buffer);
  if (view.getUint32(4, true) !== LAYOUT_VERSION) throw corrupt('unknown layout version');
  const headLength = view.getUint32(8, true);
  if (12 + headLength > buf.length) throw corrupt('truncated header');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(buf.buffer, 12, headLength).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw corrupt('header is not JSON');
  }
  const specs = header.$arrays;
  if (!Array.isArray(specs)) throw corrupt('no array table');
  let offset = 12 + headLength + pad8(12 + headLength);
  const arrays: Typed[] = [];
  for (const spec of specs as unknown[]) {
    const [type, length] = Array.isArray(spec) ? (spec as [unknown, unknown]) : [undefined, undefined];
    if (typeof type !== 'string' || !(type in CTORS) || !Number.isInteger(length) || (length as number) < 0)
      throw corrupt('bad array entry');
    const Ctor = CTORS[type as TypeName];
    const byteLength = (length as number) * Ctor.BYTES_PER_ELEMENT;
    if (offset + byteLength > buf.length) throw corrupt('truncated arrays');
    arrays.push(new Ctor(buf.buffer, offset, length as number));
    offset += byteLength + pad8(byteLength);
  }
  if (offset !== buf.length) throw corrupt('trailing bytes');
  return { header, arrays };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}
