import { isMap } from '../validation';
import { parseDocumentYaml } from './document-validator';

/** What a recipe needs to know of a component's document. */
export interface DocumentSummary {
  /** Declared parameters; `hasDefault` false means a recipe must give a value. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly hasDefault: boolean }>;
  /** The phase names, e.g. `['build', 'validate']`. */
  readonly phases: readonly string[];
  /** The `source` of every download of the `S3Download` steps, as written (`s3://bucket/key`). */
  readonly s3DownloadSources: readonly string[];
}

/** Reads parameters and phases from document text, or `undefined` if the text is not a document. */
function summarizeDocument(text: string): DocumentSummary | undefined {
  const { document, syntaxErrors } = parseDocumentYaml(text);
  return syntaxErrors.length > 0 ? undefined : summarizeParsedDocument(document);
}

/** Reads parameters and phases from a parsed document, or `undefined` if it is not a document. */
function summarizeParsedDocument(document: unknown): DocumentSummary | undefined {
  if (!isMap(document)) {
    return undefined;
  }
  const parameters = (Array.isArray(document.parameters) ? document.parameters : [])
    .filter(isMap)
    .flatMap((entry: Record<string, any>) => Object.entries(entry))
    .map(([name, body]) => ({ name, hasDefault: isMap(body) && body.default !== undefined }));
  const phaseMaps = (Array.isArray(document.phases) ? document.phases : []).filter(isMap);
  const phases = phaseMaps.map((phase: Record<string, any>) => String(phase.name));
  const s3DownloadSources = phaseMaps
    .flatMap((phase: Record<string, any>) => (Array.isArray(phase.steps) ? phase.steps : []).filter(isMap))
    .filter((step: Record<string, any>) => step.action === 'S3Download' && Array.isArray(step.inputs))
    .flatMap((step: Record<string, any>) => step.inputs.filter(isMap).map((input: Record<string, any>) => input.source))
    .filter((source: unknown): source is string => typeof source === 'string');
  return { parameters, phases, s3DownloadSources };
}

/** Summaries by the component whose text they describe: the text never changes, and recipes ask more than once. */
const summaries = new WeakMap<object, DocumentSummary | undefined>();

/** Keeps the summary of a document its component has parsed already, so that recipes need not parse it again. */
export function rememberSummary(component: object, document: unknown): void {
  summaries.set(component, summarizeParsedDocument(document));
}

/** The summary of a component's document text, parsed on the first call unless the component gave it. */
export function summaryOf(component: object, text: string): DocumentSummary | undefined {
  if (!summaries.has(component)) {
    summaries.set(component, summarizeDocument(text));
  }
  return summaries.get(component);
}
