/** Why dist/ under `root` must be (re)built, or undefined when it is current. */
export function staleReason(root?: string): string | undefined;
/** Runs tsc and copy-assets when dist/ is stale (or `force`); returns whether it built. */
export function buildIfStale(options?: { force?: boolean; log?: (line: string) => void }): boolean;
