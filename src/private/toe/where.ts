/** A place in the document: how messages name it and where it is in the YAML. */
export interface Where {
  readonly label: string;
  readonly path: Array<string | number>;
}

/**
 * The place of a key or index inside `where`, named as `where` is. Its path is built when a
 * finding asks for it: most documents have none, and the checks make such places for every step.
 */
export function below(where: Where, key: string | number): Where {
  return new PlaceBelow(where, key);
}

class PlaceBelow implements Where {
  public constructor(private readonly parent: Where, private readonly key: string | number) {}

  public get label(): string {
    return this.parent.label;
  }

  public get path(): Array<string | number> {
    return [...this.parent.path, this.key];
  }
}
