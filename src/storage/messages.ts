// Message wording for storage errors, following the upstream API server's phrasing (the API server
// may wrap these into a Status via src/api/errors.ts; StorageError.key names the object).

/** The "why" of an optimistic-concurrency Conflict. */
export const CONFLICT_WHY = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflictMessage(_key: string): string {
  return CONFLICT_WHY;
}
