/**
 * Builds a tiny BERT-like model folder that transformers.js loads from disk, so tests run the real loading
 * and inference code without any network or downloaded weights.
 *
 * Graph: Gather(word_embeddings, input_ids) + Gather(token_type_embeddings, token_type_ids), multiplied by
 * the float-cast, unsqueezed attention_mask → `last_hidden_state` [batch, seq, hidden]. The ONNX protobuf is
 * written by hand (varint / length-delimited fields, tensors as raw_data), see onnx/onnx.proto for the field
 * numbers used below.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from './random.js';

/** Options for {@link buildTinyModel}. */
export interface TinyModelOptions {
  /** Folder name of the model (default `tiny-bert`). */
  name?: string;
  /** Hidden size = embedding dimension (default 16). */
  hidden?: number;
  /** Word-piece vocabulary besides the special tokens (default: a small Dutch vocabulary). */
  words?: string[];
  /** PRNG seed for the embedding table (default 7). */
  seed?: number;
  /**
   * Content of tokenizer_config.json (default `{}`, the minimum transformers.js accepts; it then has no pad
   * token, so batches cannot be padded). Pass `{ pad_token: '[PAD]' }` for a batch-capable tokenizer.
   */
  tokenizerConfig?: Record<string, unknown>;
}

/** A model folder in a fresh temp dir; call `cleanup()` when done. */
export interface TinyModel {
  /** Temp root (parent of the model folder). */
  root: string;
  /** The model folder: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx. */
  modelDir: string;
  hidden: number;
  vocab: string[];
  cleanup(): Promise<void>;
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const DEFAULT_WORDS = [
  'rug',
  'pijn',
  'lage',
  'rugpijn',
  'bewegen',
  'oefeningen',
  'helpen',
  'bij',
  'de',
  'het',
  'een',
  'is',
  'en',
  'van',
  'weer',
  'vandaag',
  'zonnig',
  'warm',
  'fiets',
  'markt',
  'kaas',
  'brood',
  '##en',
  '##s',
];

/** Builds the folder in a new temp dir (~1 ms of work; a few KB on disk). */
export async function buildTinyModel(options: TinyModelOptions = {}): Promise<TinyModel> {
  const name = options.name ?? 'tiny-bert';
  const hidden = options.hidden ?? 16;
  const vocab = [...SPECIAL, ...(options.words ?? DEFAULT_WORDS)];
  const root = await mkdtemp(path.join(os.tmpdir(), 'rugwijs-tiny-model-'));
  const modelDir = path.join(root, name);
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });

  await writeFile(path.join(modelDir, 'config.json'), JSON.stringify({ model_type: 'bert' }));
  await writeFile(
    path.join(modelDir, 'tokenizer_config.json'),
    JSON.stringify(options.tokenizerConfig ?? {}),
  );
  await writeFile(path.join(modelDir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  await writeFile(
    path.join(modelDir, 'onnx', 'model.onnx'),
    onnxModel(vocab.length, hidden, options.seed ?? 7),
  );

  return { root, modelDir, hidden, vocab, cleanup: () => rm(root, { recursive: true, force: true }) };
}

function tokenizerJson(vocab: string[]): unknown {
  const ids = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const special = (content: string) => ({
    id: ids[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    // Must be an array (transformers.js iterates it).
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    // Must exist; null is accepted.
    decoder: null,
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Minimal protobuf writer: just the wire types ONNX needs (0 = varint, 2 = length-delimited, 5 = 32-bit).

type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

function key(fieldNumber: number, wireType: number): number[] {
  return varint((fieldNumber << 3) | wireType);
}

function intField(fieldNumber: number, value: number | bigint): Field {
  return Uint8Array.from([...key(fieldNumber, 0), ...varint(value)]);
}

function bytesField(fieldNumber: number, bytes: Uint8Array): Field {
  const head = Uint8Array.from([...key(fieldNumber, 2), ...varint(bytes.length)]);
  return concat([head, bytes]);
}

function stringField(fieldNumber: number, value: string): Field {
  return bytesField(fieldNumber, new TextEncoder().encode(value));
}

function message(...fields: Field[]): Uint8Array {
  return concat(fields);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const FLOAT = 1;
const INT64 = 7;

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian). */
function tensor(name: string, dims: number[], dataType: number, raw: Uint8Array): Field {
  return message(
    ...dims.map((d) => intField(1, d)),
    intField(2, dataType),
    stringField(8, name),
    bytesField(9, raw),
  );
}

/** ValueInfoProto(name=1, type=2) → TypeProto(tensor_type=1) → Tensor(elem_type=1, shape=2) → dims. */
function valueInfo(name: string, elemType: number, dims: (string | number)[]): Field {
  const dimMessages = dims.map((d) =>
    bytesField(1, typeof d === 'string' ? stringField(2, d) : intField(1, d)),
  );
  const shape = message(...dimMessages);
  const tensorType = message(intField(1, elemType), bytesField(2, shape));
  return message(stringField(1, name), bytesField(2, bytesField(1, tensorType)));
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5. */
function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: Field[] = [],
): Field {
  return message(
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, name),
    stringField(4, opType),
    ...attributes.map((a) => bytesField(5, a)),
  );
}

/** AttributeProto with an int: name=1, i=3, type=20 (INT = 2). */
function intAttribute(name: string, value: number): Field {
  return message(stringField(1, name), intField(3, value), intField(20, 2));
}

function onnxModel(vocabSize: number, hidden: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const words = new Float32Array(vocabSize * hidden);
  // Special tokens ([PAD] … [MASK]) keep zero embeddings so [CLS]/[SEP] add no similarity between texts.
  for (let i = SPECIAL.length * hidden; i < words.length; i++) words[i] = random() * 2 - 1;
  const tokenTypes = new Float32Array(2 * hidden); // zeros: segment ids change nothing
  const axes = new BigInt64Array([2n]);

  const graph = message(
    bytesField(
      1,
      node('Gather', ['word_embeddings', 'input_ids'], ['word_emb'], 'gather_words', [
        intAttribute('axis', 0),
      ]),
    ),
    bytesField(1, node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type_emb'], 'gather_types')),
    bytesField(1, node('Add', ['word_emb', 'type_emb'], ['embeddings'], 'add')),
    bytesField(1, node('Unsqueeze', ['attention_mask', 'mask_axes'], ['mask_3d'], 'unsqueeze')),
    bytesField(1, node('Cast', ['mask_3d'], ['mask_float'], 'cast', [intAttribute('to', FLOAT)])),
    bytesField(1, node('Mul', ['embeddings', 'mask_float'], ['last_hidden_state'], 'mul')),
    stringField(2, 'tiny_bert'),
    bytesField(5, tensor('word_embeddings', [vocabSize, hidden], FLOAT, new Uint8Array(words.buffer))),
    bytesField(5, tensor('token_type_embeddings', [2, hidden], FLOAT, new Uint8Array(tokenTypes.buffer))),
    bytesField(5, tensor('mask_axes', [1], INT64, new Uint8Array(axes.buffer))),
    bytesField(11, valueInfo('input_ids', INT64, ['batch_size', 'sequence_length'])),
    bytesField(11, valueInfo('attention_mask', INT64, ['batch_size', 'sequence_length'])),
    bytesField(11, valueInfo('token_type_ids', INT64, ['batch_size', 'sequence_length'])),
    bytesField(12, valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', hidden])),
  );
  // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8 (OperatorSetIdProto: domain=1, version=2).
  return message(
    intField(1, 8),
    stringField(2, 'rugwijs-tests'),
    bytesField(7, graph),
    bytesField(8, message(stringField(1, ''), intField(2, 17))),
  );
}
