import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBinary, unpackBinary } from '../../src/index/binary-pack.js';
import { Bm25Index } from '../../src/index/bm25.js';
import { CorpusEmbedder } from '../../src/index/corpus-embedder.js';
import { createAnalyzer } from '../../src/text/analyze.js';

describe('binary-pack', () => {
  it('round-trips a header and typed arrays of any length (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 40 }),
        fc.array(fc.float({ noNaN: true }), { maxLength: 40 }),
        fc.string(),
        (ints, floats, name) => {
          const buf = packBinary({ name }, [
            Int32Array.from(ints),
            Float32Array.from(floats),
            new Float64Array([1.5]),
          ]);
          const { header, arrays } = unpackBinary(buf, 'x.bin');
          expect(header.name).toBe(name);
          expect([...(arrays[0] as Int32Array)]).toEqual(ints);
          expect([...(arrays[1] as Float32Array)]).toEqual([...Float32Array.from(floats)]);
          expect([...(arrays[2] as Float64Array)]).toEqual([1.5]);
        },
      ),
    );
  });

  it('refuses a truncated, extended or foreign file with index_corrupt', () => {
    const buf = packBinary({ a: 1 }, [new Int32Array([1, 2, 3])]);
    for (const bad of [
      buf.subarray(0, buf.length - 4),
      Buffer.concat([buf, Buffer.alloc(8)]),
      Buffer.from('{"a":1}'),
      buf.subarray(0, 10),
    ]) {
      expect(() => unpackBinary(bad, 'x.bin')).toThrow(expect.objectContaining({ code: 'index_corrupt' }));
    }
  });
});

describe('binary index files', () => {
  const analyzer = createAnalyzer();
  const texts = [
    'Lage rugpijn gaat meestal vanzelf over.',
    'Blijf bewegen bij rugpijn, bedrust helpt niet.',
    'Een MRI is zelden nodig bij lage rugpijn.',
    'Oefentherapie helpt bij chronische rugpijn.',
  ];

  it('BM25 answers identically after toBinary/fromBinary and refuses edited postings', () => {
    const idx = Bm25Index.build(texts.map((t, i) => ({ id: `d#${i}`, terms: analyzer.terms(t) })));
    const back = Bm25Index.fromBinary(idx.toBinary());
    const q = analyzer.queryTerms('helpt bewegen bij rugpijn');
    expect(back.search(q, 3)).toEqual(idx.search(q, 3));
    const { header, arrays } = unpackBinary(idx.toBinary(), 'bm25.bin');
    (arrays[3] as Int32Array)[0] = 0; // a term frequency of 0, repacked with a valid layout
    const { $arrays: _a, ...rest } = header;
    expect(() => Bm25Index.fromBinary(packBinary(rest, arrays as Int32Array[]))).toThrow(
      expect.objectContaining({ code: 'index_corrupt' }),
    );
  });

  it('the corpus embedder gives the same vectors after toBinary/fromBinary', async () => {
    const tokenize = (t: string) => analyzer.terms(t);
    const emb = CorpusEmbedder.train(texts, tokenize, { dimension: 3 });
    const back = CorpusEmbedder.fromBinary(emb.toBinary(), tokenize);
    expect(await back.embedQuery('bedrust bij rugpijn')).toEqual(await emb.embedQuery('bedrust bij rugpijn'));
    const bytes = emb.toBinary();
    new DataView(bytes.buffer, bytes.byteOffset).setFloat32(bytes.length - 8, Number.NaN, true);
    expect(() => CorpusEmbedder.fromBinary(bytes, tokenize)).toThrow(
      expect.objectContaining({ code: 'index_corrupt' }),
    );
  });
});

describe('offset map runs (docs.bin)', () => {
  it('decodeMap(encodeMap(m)) === m for any non-decreasing map (property)', async () => {
    const { encodeMap, decodeMap } = await import('../../src/ingest/doc-store.js');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 200 }), (steps) => {
        let at = 0;
        const map = Int32Array.from([0, ...steps.map((s) => (at += s))]);
        expect([...(decodeMap(encodeMap(map), map.length) ?? [])]).toEqual([...map]);
      }),
    );
  });
});
