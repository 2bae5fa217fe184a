import * as yaml from 'yaml';

/** A problem with the YAML itself, with its line when known. */
export interface YamlPitfall {
  readonly line?: number;
  readonly message: string;
}

/**
 * YAML that the `yaml` library parses without an error but that cannot become the document its
 * author meant: a collection used as a key (most often an unquoted `{{ name }}`, which YAML reads as
 * a mapping inside a mapping), an alias whose anchor is not defined before it, and one inside the
 * node it refers to. Converting such a document to objects would print a warning and stringify the
 * key, throw without a line, or never end.
 */
export function yamlPitfalls(text: string, parsed: yaml.Document.Parsed, lineCounter: yaml.LineCounter): YamlPitfall[] {
  const found: YamlPitfall[] = [];
  const lineOf = (node: yaml.Node) => (node.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const sourceOf = (node: yaml.Node) => (node.range ? text.slice(node.range[0], node.range[1]) : '');
  yaml.visit(parsed, {
    Pair(_, pair, path) {
      if (!yaml.isCollection(pair.key)) {
        return;
      }
      const parent = path[path.length - 1] as yaml.Node;
      const written = sourceOf(parent).trim();
      found.push({
        line: lineOf(pair.key),
        message: written.startsWith('{{')
          ? `an unquoted ${written} is read by YAML as a mapping, not as text: quote it, e.g. '${written}'`
          : `a mapping or list cannot be a key, got ${sourceOf(pair.key).trim()}`,
      });
    },
    Alias(_, alias, path) {
      const anchored = alias.resolve(parsed);
      if (anchored === undefined) {
        found.push({ line: lineOf(alias), message: `alias *${alias.source} has no anchor &${alias.source} before it` });
      } else if (path.includes(anchored)) {
        found.push({ line: lineOf(alias), message: `alias *${alias.source} is inside the node &${alias.source} it refers to, which would never end` });
      }
    },
  });
  return found;
}
