/**
 * The dense-retrieval embedder contract. Implementations extend LangChain's `Embeddings`
 * (`@langchain/core/embeddings`) so any LangChain vector store or retriever can use them unchanged.
 */
export interface TextEmbedder {
  /**
   * Stable identifier written to the index manifest, e.g. `corpus-lsa-v1` or `transformers:<model folder name>`;
   * an index is only reused with an embedder of the same id.
   */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dimension: number;
  /** One vector per text, in input order. */
  embedDocuments(texts: string[]): Promise<number[][]>;
  /** The vector of one query text (same space as the document vectors). */
  embedQuery(text: string): Promise<number[]>;
}
