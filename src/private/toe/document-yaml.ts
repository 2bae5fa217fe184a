import * as yaml from 'yaml';
import { TOE_SCHEMA_VERSION } from './action-catalogue';

/**
 * Renders a document as YAML with `schemaVersion: 1.0` as AWS writes it. The version is a string
 * field in AWSTOE ("currently 1.0"), so `1`, which a JavaScript 1.0 renders as, could read as "1".
 * The number 1 and the string '1.0' become the plain scalar `1.0`; other values render as given.
 * An object used twice (the same `inputs` for two steps) is written out twice rather than as a
 * YAML anchor and alias, which the service's parsers need not take and readers seldom expect.
 */
export function stringifyDocument(document: unknown, options: yaml.DocumentOptions & yaml.ToStringOptions): string {
  const rendered = new yaml.Document(document, { ...options, aliasDuplicateObjects: false });
  const version = rendered.get('schemaVersion', true);
  if (yaml.isScalar(version) && (version.value === 1 || version.value === TOE_SCHEMA_VERSION)) {
    const plain = new yaml.Scalar(1);
    plain.minFractionDigits = 1; // the `yaml` library's way to write 1 as `1.0`
    rendered.set('schemaVersion', plain);
  }
  return rendered.toString(options);
}
