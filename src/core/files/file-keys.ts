/** Storage keys (API.md §6): `<collectionId>/<recordId>/<filename>` and its thumbs folder. */
export function fileKey(collectionId: string, recordId: string, name: string): string {
  return `${collectionId}/${recordId}/${name}`;
}

/** The key of one thumb size of a file. */
export function thumbKey(
  collectionId: string,
  recordId: string,
  name: string,
  size: string,
): string {
  return `${collectionId}/${recordId}/thumbs_${name}/${size}_${name}`;
}

/** The folder of a file's thumbs. */
export function thumbsPrefix(collectionId: string, recordId: string, name: string): string {
  return `${collectionId}/${recordId}/thumbs_${name}/`;
}

/** Everything stored for one record. */
export function recordPrefix(collectionId: string, recordId: string): string {
  return `${collectionId}/${recordId}/`;
}

/** Everything stored for one collection. */
export function collectionPrefix(collectionId: string): string {
  return `${collectionId}/`;
}
