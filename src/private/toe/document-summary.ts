import { isMap, parseDocumentYaml } from './document-validator';

/** What a recipe needs to know of a component's document. */
export interface DocumentSummary {
  /** Declared parameters; `hasDefault` false means a recipe must give a value. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly hasDefault: boolean }>;
  /** The phase names, e.g. `['build', 'validate']`. */
  readonly phases: readonly string[];
}

/** Reads parameters and phases from document text, or `undefined` if the text is not a document. */
export function summarizeDocument(text: string): DocumentSummary | undefined {
  const { document, syntaxErrors } = parseDocumentYaml(text);
  if (syntaxErrors.length > 0 || !isMap(document)) {
    return undefined;
  }
  const parameters = (Array.isArray(document.parameters) ? document.parameters : [])
    .filter(isMap)
    .flatMap((entry: Record<string, any>) => Object.entries(entry))
    .map(([name, body]) => ({ name, hasDefault: isMap(body) && body.default !== undefined }));
  const phases = (Array.isArray(document.phases) ? document.phases : [])
    .filter(isMap)
    .map((phase: Record<string, any>) => String(phase.name));
  return { parameters, phases };
}
