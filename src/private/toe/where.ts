/** A place in the document: how messages name it and where it is in the YAML. */
export interface Where {
  readonly label: string;
  readonly path: Array<string | number>;
}

/**
 * The place of a key or index inside `where`, named as `where` is. Made only for a finding: most
 * documents have none, and the checks look at thousands of places.
 */
export function below(where: Where, key: string | number): Where {
  return { label: where.label, path: [...where.path, key] };
}
