import { CustomResourceEvent } from './events';

/** Writes one structured log line. */
export type Logger = (entry: Record<string, unknown>) => void;

export const jsonLogger: Logger = (entry) => console.log(JSON.stringify(entry));

/**
 * The request without its pre-signed response URL, which grants anyone who reads it the power to
 * answer for the resource.
 */
export function describeEvent(event: CustomResourceEvent): Record<string, unknown> {
  const { ResponseURL: _url, ...rest } = event;
  return rest;
}
