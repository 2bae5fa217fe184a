import { CustomResourceEvent } from './events';

/** Writes one structured log line. */
export type Logger = (entry: Record<string, unknown>) => void;

export const jsonLogger: Logger = (entry) => console.log(JSON.stringify(entry));

/** Logs `message` at `level`, with `fields`, through the handler's logger. */
export function log(deps: { readonly log: Logger }, level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  deps.log({ level, message, ...fields });
}

/**
 * The request without its pre-signed response URL, which grants anyone who reads it the power to
 * answer for the resource.
 */
export function describeEvent(event: CustomResourceEvent): Record<string, unknown> {
  const { ResponseURL: _url, ...rest } = event;
  return rest;
}
