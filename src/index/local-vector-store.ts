import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import { AppError } from '../errors.js';
import { VectorIndex, type VectorIndexOptions } from './vector-index.js';

/** Keeps a document when it returns true. */
export type LocalVectorStoreFilter = (doc: DocumentInterface) => boolean;

/** Options of {@link LocalVectorStore}. */
export interface LocalVectorStoreConfig {
  /** HNSW settings used whenever the index is (re)built. */
  index?: VectorIndexOptions;
}

/**
 * A LangChain `VectorStore` over the local {@link VectorIndex} (hnswlib files), so code written against the
 * VectorStore API keeps working when a server engine (Qdrant, pgvector, OpenSearch) replaces local files.
 * Scores are cosine similarities (higher = more similar). Adding vectors marks the index stale; it is rebuilt
 * once, deterministically, at the next search (cheap at corpus scale). Deletion is not supported.
 */
export class LocalVectorStore extends VectorStore {
  declare FilterType: LocalVectorStoreFilter;

  readonly #options: VectorIndexOptions;
  readonly #documents: DocumentInterface[] = [];
  readonly #vectors: number[][] = [];
  #index: VectorIndex | undefined;

  constructor(embeddings: EmbeddingsInterface, config: LocalVectorStoreConfig = {}) {
    super(embeddings, {});
    this.#options = config.index ?? {};
  }

  /**
   * Wraps an index loaded from disk; `documents[i]` is the document of label i. Throws
   * AppError('index_mismatch') when the counts differ.
   */
  static fromIndex(
    embeddings: EmbeddingsInterface,
    index: VectorIndex,
    documents: DocumentInterface[],
    config: LocalVectorStoreConfig = {},
  ): LocalVectorStore {
    if (documents.length !== index.size) {
      throw new AppError(
        'index_mismatch',
        `The vector index holds ${index.size} vectors but ${documents.length} documents were given.`,
      );
    }
    const store = new LocalVectorStore(embeddings, config);
    for (let i = 0; i < documents.length; i++) store.#vectors.push(index.vector(i));
    store.#documents.push(...(documents as DocumentInterface[]));
    store.#index = index;
    return store;
  }

  /** Embeds the texts and returns a store holding them (metadata: one object per text, or one for all). */
  static async fromTexts(
    texts: string[],
    metadatas: object[] | object,
    embeddings: EmbeddingsInterface,
    config: LocalVectorStoreConfig = {},
  ): Promise<LocalVectorStore> {
    const docs = texts.map(
      (pageContent, i) =>
        new Document({
          pageContent,
          metadata: { ...((Array.isArray(metadatas) ? metadatas[i] : metadatas) ?? {}) },
        }),
    );
    return LocalVectorStore.fromDocuments(docs, embeddings, config);
  }

  /** Embeds the documents and returns a store holding them. */
  static async fromDocuments(
    docs: DocumentInterface[],
    embeddings: EmbeddingsInterface,
    config: LocalVectorStoreConfig = {},
  ): Promise<LocalVectorStore> {
    const store = new LocalVectorStore(embeddings, config);
    await store.addDocuments(docs);
    return store;
  }

  _vectorstoreType(): string {
    return 'rugwijs-local-hnsw';
  }

  /** Number of stored documents. */
  get size(): number {
    return this.#documents.length;
  }

  /** The current index (built now if vectors were added since the last build); undefined while empty. */
  get index(): VectorIndex | undefined {
    return this.#currentIndex();
  }

  /**
   * Stores pre-computed vectors with their documents. Ids: `options.ids[i]`, else `document.id`, else the
   * position as a string. Throws AppError('index_mismatch') when the counts or vector lengths disagree.
   */
  async addVectors(
    vectors: number[][],
    documents: DocumentInterface[],
    options?: { ids?: string[] },
  ): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new AppError(
        'index_mismatch',
        `Got ${vectors.length} vectors for ${documents.length} documents.`,
      );
    }
    const dimension = this.#vectors[0]?.length ?? vectors[0]?.length;
    for (const v of vectors) {
      if (v.length !== dimension)
        throw new AppError('index_mismatch', `Vector length ${v.length} differs from ${dimension}.`);
    }
    const ids = documents.map((doc, i) => options?.ids?.[i] ?? doc.id ?? String(this.#documents.length + i));
    documents.forEach((doc, i) => {
      this.#documents.push(
        new Document({ pageContent: doc.pageContent, metadata: doc.metadata, id: ids[i] }),
      );
      this.#vectors.push([...(vectors[i] ?? [])]);
    });
    if (vectors.length > 0) this.#index = undefined;
    return ids;
  }

  /** Embeds `pageContent` of each document with the store's embeddings, then {@link addVectors}. */
  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  /** The `k` nearest documents to `query` with their cosine similarity, best first. */
  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[DocumentInterface, number][]> {
    const index = this.#currentIndex();
    if (!index) return [];
    const keep = filter
      ? (label: number) => (this.#documents[label] ? filter(this.#documents[label]) : false)
      : undefined;
    return index.search(query, k, keep).flatMap((hit) => {
      const doc = this.#documents[hit.label];
      return doc ? [[doc, hit.similarity] as [DocumentInterface, number]] : [];
    });
  }

  #currentIndex(): VectorIndex | undefined {
    if (this.#vectors.length === 0) return undefined;
    this.#index ??= VectorIndex.build(this.#vectors, this.#options);
    return this.#index;
  }
}
